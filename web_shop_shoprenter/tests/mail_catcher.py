"""A real SMTP server on a free local port that keeps what it receives,
for the invoice e-mail scenarios (aiosmtpd, in a thread)."""
import email
import email.policy
import io

from aiosmtpd.controller import Controller

from ..outbox import free_port



class MailCatcher:
    "Start it, point [email] uri at .uri, read .messages"

    def __init__(self):
        self.messages = []
        self.controller = Controller(
            self, hostname='127.0.0.1', port=free_port())

    @property
    def uri(self):
        return f'smtp://127.0.0.1:{self.controller.port}'

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return '250 Message accepted'

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


def pdf_attachments(message):
    "Return (file name, text) of each PDF attached to the message"
    from pypdf import PdfReader
    result = []
    for part in message.iter_attachments():
        if part.get_content_type() == 'application/pdf':
            reader = PdfReader(io.BytesIO(part.get_content()))
            text = '\n'.join(page.extract_text() for page in reader.pages)
            result.append((part.get_filename(), text))
    return result
