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
    },
    "letter_by_ems": {
        "summary": "A letter mailed by EMS, with its 邮件号 (S10: the check digit is checked)",
        "value": {"channel": "letter", "to_address": "北京市朝阳区建国路88号", "sent_at": "2026-11-20T10:00:00+08:00",
                  "outcome": "sent", "template_kind": "demand_letter", "carrier": "ems",
                  "tracking_no": "EA123456785CN"},
    },
    "letter_by_usps": {
        "summary": "A letter mailed by USPS first-class mail, with its 22-digit tracking number (IMpb)",
        "value": {"channel": "letter", "to_address": "1200 W Adams St, Chicago, IL 60607",
                  "sent_at": "2026-11-20T10:00:00-06:00", "outcome": "sent", "template_kind": "validation_notice",
                  "carrier": "usps", "tracking_no": "9400 1118 9922 3197 4284 97"},
    },
}

LAW_FIRM_EXAMPLE: dict[str, Any] = {
    "cn_firm": {
        "summary": "A CN partner firm: its six-digit postal code goes on the service-address confirmation",
        "value": {"code": "ZHLAW", "name": "北京中和律师事务所", "name_en": "Beijing Zhonghe Law Firm",
                  "profile": "CN", "licence_no": "31110000E00012345X",
                  "address": "北京市朝阳区建国门外大街1号国贸大厦A座20层", "postal_code": "100004",
                  "phone": "010-6505-1200", "lead_lawyer": "王律师", "lead_lawyer_licence": "11101201010012345"},
    },
    "us_firm": {
        "summary": "A US partner firm: a ZIP code, and its lead lawyer's bar number per state",
        "value": {"code": "HCLAW", "name": "Harper & Cole LLP", "profile": "US",
                  "address": "77 West Wacker Drive, Suite 4100, Chicago, IL 60601", "postal_code": "60601",
                  "phone": "312-555-0190", "lead_lawyer": "Jordan Harper", "lead_lawyer_bars": {"IL": "6301234"}},
    },
}

LENDER_LICENCES_EXAMPLE: dict[str, Any] = {
    "us_lender": {
        "summary": "A US lender's NMLS ID, and its licence in each state it lends in",
        "value": {"nmls_id": "1234567",
                  "licences": [{"state": "CA", "kind": "cfl", "number": "60DBO-123456", "issued_on": "2019-03-14"},
                               {"state": "IL", "kind": "consumer_installment_lender", "number": "CI.0004521"}]},
    },
    "cn_app": {
        "summary": "The app borrowers repay in, by its name: notices name it (null: the lender has no app)",
        "value": {"app_name": "随心贷App"},
    },
}

LAW_FIRM_PATCH_EXAMPLE: dict[str, Any] = {
    "moved": {
        "summary": "The firm moved: its address and postal code, together",
        "value": {"address": "上海市黄浦区中山东一路18号8楼", "postal_code": "200002"},
    },
}

DELIVERY_EXAMPLE: dict[str, Any] = {
    "letter_by_ems": {
        "summary": "A letter mailed by EMS on 2026-11-20 under EA123456785CN, signed for two days later",
        "value": {"delivered_at": "2026-11-22T14:30:00+08:00", "carrier": "ems", "tracking_no": "EA123456785CN"},
    },
    "now": {"summary": "Delivered now (no body, or no delivered_at)", "value": {}},
}

FAILURE_EXAMPLE: dict[str, Any] = {
    "returned_unknown": {
        "summary": "A letter mailed by EMS on 2026-11-20 under EA123456785CN, returned on 2026-11-25: "
                   "addressee unknown",
        "value": {"reason": "unknown_addressee", "failed_at": "2026-11-25T09:10:00+08:00", "carrier": "ems",
                  "tracking_no": "EA123456785CN"},
    },
    "other": {
        "summary": "Returned for a reason of its own, in the return slip's words (now)",
        "value": {"reason": "other", "note": "地址不详，无法投递"},
    },
}

MAILING_EXAMPLE: dict[str, Any] = {
    "ems": {
        "summary": "A CN case's letter posted by EMS: its 邮件号 (13 characters, UPU S10 with its check digit)",
        "value": {"carrier": "ems", "tracking_no": "EA123456785CN"},
    },
    "usps": {
        "summary": "A US case's letter posted by USPS: its tracking number (22 digits, IMpb; 20 for certified mail)",
        "value": {"carrier": "usps", "tracking_no": "9400111899223197428497"},
    },
    "carrier_of_the_jurisdiction": {
        "summary": "The number alone: the carrier is the case's jurisdiction's (ems for CN, usps for US)",
        "value": {"tracking_no": "EA123456785CN"},
    },
}
