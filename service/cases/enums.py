"""Vocabulary of the case domain. Values are stored as text and appear in the API."""

from enum import StrEnum


class Profile(StrEnum):
    CN = "CN"
    US = "US"


class Stage(StrEnum):
    CURRENT = "CURRENT"
    REMINDER = "REMINDER"
    PHONE = "PHONE"
    PROMISE = "PROMISE"
    CURED = "CURED"
    VISIT_PLANNED = "VISIT_PLANNED"
    VISIT_NOTIFIED = "VISIT_NOTIFIED"
    VISIT_DONE = "VISIT_DONE"
    NEGOTIATING = "NEGOTIATING"
    PLAN_ACTIVE = "PLAN_ACTIVE"
    PLAN_BREACHED = "PLAN_BREACHED"
    PRE_LITIGATION = "PRE_LITIGATION"
    FILED = "FILED"
    JUDGMENT = "JUDGMENT"
    ENFORCEMENT = "ENFORCEMENT"
    CLOSED_PAID = "CLOSED_PAID"


class HoldKind(StrEnum):
    DISPUTE = "DISPUTE"
    COMPLAINT = "COMPLAINT"
    DECEASED = "DECEASED"
    LITIGATION_HOLD = "LITIGATION_HOLD"


class LicenceType(StrEnum):
    BANK = "bank"
    CONSUMER_FINANCE = "consumer_finance"
    MICRO_LOAN = "micro_loan"
    # CN: licensed for another financial business, not for lending (commercial factoring, leasing,
    # pawn, guarantee, ...): its loans are private lending (CN-30), its lending to the public a
    # professional lender's (CN-32). US: a state licence (lender's or collector's).
    OTHER_LICENSED = "other_licensed"
    NON_LICENSED = "non_licensed"


class CreditorRole(StrEnum):
    ORIGINAL_CREDITOR = "original_creditor"  # collects its own loans (not an FDCPA debt collector)
    DEBT_COLLECTOR = "debt_collector"  # a third party collecting for the creditor


class IdType(StrEnum):
    CN_RESIDENT = "cn_resident_id"
    PASSPORT = "passport"
    US_SSN = "us_ssn"
    USCC = "uscc"


class Channel(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    CALL = "call"
    LETTER = "letter"
    APP = "app"
    VISIT = "visit"


class Direction(StrEnum):
    OUT = "out"  # we contacted them
    IN = "in"  # they contacted us


class PartyKind(StrEnum):
    BORROWER = "borrower"
    CONTACT = "contact"
    GUARANTOR = "guarantor"
    ATTORNEY = "attorney"


class Outcome(StrEnum):
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    NO_ANSWER = "no_answer"
    ANSWERED = "answered"
    PROMISE = "promise"
    REFUSED = "refused"
    DISPUTED = "disputed"
    WRONG_NUMBER = "wrong_number"


class FailureReason(StrEnum):
    """Why a letter or notice recorded as sent came back undelivered (退回), as the carrier's return
    slip or the delivery proof says: "other" carries the words of the slip (Communication.failure_note)."""

    REFUSED = "refused"  # 拒收
    UNKNOWN_ADDRESSEE = "unknown_addressee"  # 查无此人
    MOVED = "moved"  # 迁移新址不明
    UNCLAIMED = "unclaimed"  # 逾期无人领取
    OTHER = "other"


class Carrier(StrEnum):
    """The postal service a letter was mailed by, whose tracking number (service.cases.postal) is the
    letter's proof of service: the number the carrier's record of the item is looked up by."""

    EMS = "ems"  # China Post's EMS (中国邮政速递物流): 邮件号, a UPU S10 identifier
    USPS = "usps"  # the US Postal Service (first-class, certified): the IMpb tracking number


class PlanType(StrEnum):
    EXTENSION = "extension"  # 展期
    INSTALMENTS = "instalments"  # 分期
    INTEREST_SUSPENSION = "interest_suspension"  # 停息挂账 / 个性化分期
    PARTIAL_WAIVER = "partial_waiver"  # 减免, conditional on performance


class PlanStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    ACTIVE = "active"
    COMPLETED = "completed"
    BREACHED = "breached"
    SUPERSEDED = "superseded"


class LoanChannel(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"
