"""Contexts of the court documents (templates/legal/) and of the litigation-packet parts
(templates/legal/packet/). The registry imports each class from its module."""
