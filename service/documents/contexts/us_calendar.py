"""US federal holidays and Regulation F's validation period: kept in service.cases.us_calendar
(the escalation guards ask when a validation period ends, and cases sits below documents)."""

from service.cases.us_calendar import add_business_days, federal_holidays, is_business_day, validation_period_end

__all__ = ["add_business_days", "federal_holidays", "is_business_day", "validation_period_end"]
