"""Contexts of the contracts (templates/contracts/): the visit record and the repayment
agreement. The registry imports each class from its module."""
