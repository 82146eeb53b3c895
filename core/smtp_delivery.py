"""SMTP for the outbox: the mail is recorded as sent after the server has the whole
message but before the dot that ends it. An SMTP server delivers nothing whose
end-of-data it never received, so a worker killed at any moment either finished a
mail it had recorded, or leaves one the server drops and the outbox sends again;
only a kill in the microseconds between the record and the dot loses a mail. (The
plain order, send then record, sends a mail twice whenever the worker dies between
the server's "250" and the record: a test measured that in one kill out of six.)"""

import smtplib

from django.core.mail.backends import smtp

CRLF = b"\r\n"


class EndOfDataHook:
    """smtplib.SMTP.data(), with `before_end_of_data` called before the final dot."""

    before_end_of_data = None

    def data(self, msg):
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        quoted = smtplib._quote_periods(msg)
        if quoted[-2:] != CRLF:
            quoted += CRLF
        self.send(quoted)
        if self.before_end_of_data:
            try:
                self.before_end_of_data()
            except BaseException:
                # No end of data: the server drops the message with the connection.
                self.close()
                raise
        self.send(b"." + CRLF)
        return self.getreply()


class HookedSMTP(EndOfDataHook, smtplib.SMTP):
    pass


class HookedSMTPSSL(EndOfDataHook, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend (same settings), able to record each mail as sent at
    the last moment before the server may deliver it."""

    @property
    def connection_class(self):
        return HookedSMTPSSL if self.use_ssl else HookedSMTP

    def send_recorded(self, message, record):
        """Send one message, calling record() just before its end of data."""
        self.open()
        self.connection.before_end_of_data = record
        try:
            return self.send_messages([message])
        finally:
            if self.connection:
                self.connection.before_end_of_data = None
