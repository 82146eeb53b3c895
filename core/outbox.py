"""STAND-IN for the mail outbox (branch "queue" builds the real one; the lead
replaces this file when merging).

The real `queue_mail(message)` inserts an outbox row in the current transaction
and a worker sends it with retries. This stand-in only keeps the contract that
matters to callers: nothing is sent unless the transaction commits."""

from django.db import transaction


def queue_mail(message):
    transaction.on_commit(message.send)
