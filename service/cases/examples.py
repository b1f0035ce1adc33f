"""OpenAPI request examples (kept out of the routes so they stay short)."""

from typing import Any

CASE_IMPORT_EXAMPLE: dict[str, Any] = {
    "cn_equal_instalment": {
        "summary": "A CN consumer-finance loan, three instalments, one partial payment",
        "value": {
            "profile": "CN",
            "stage": "REMINDER",
            "lender": {"code": "HXCF", "name": "华信消费金融有限公司", "licence_type": "consumer_finance",
                       "hotline": "400-820-1234"},
            "borrower": {"name": "张伟", "id_type": "cn_resident_id", "id_number": "11010519491231002X",
                         "phones": [{"number": "13800138000"}], "habitual_address": "北京市朝阳区建国路88号"},
            "contract": {"contract_no": "HXCF-2026-000123", "signed_date": "2026-01-05",
                         "principal_agreed": "3000.00", "disbursed_amount": "3000.00",
                         "disbursed_date": "2026-01-05", "nominal_rate": "0.18", "penalty_rate": "0.27",
                         "repayment_method": "equal_instalment"},
            "schedule": [
                {"no": 1, "due_date": "2026-02-05", "principal": "985.07", "interest": "45.00"},
                {"no": 2, "due_date": "2026-03-05", "principal": "999.85", "interest": "30.22"},
                {"no": 3, "due_date": "2026-04-05", "principal": "1015.08", "interest": "15.23"},
            ],
            "payments": [{"value_date": "2026-02-05", "amount": "500.00", "channel": "bank_transfer"}],
        },
    }
}

COMMUNICATION_EXAMPLE: dict[str, Any] = {
    "unanswered_call": {
        "summary": "An unanswered call at 10:05 Beijing time",
        "value": {"channel": "call", "to_address": "13800138000", "sent_at": "2026-11-20T10:05:00+08:00",
                  "outcome": "no_answer"},
    }
}
