"""A real SMTP server on a free local port that keeps what it receives, for the invoice
e-mail tests (the Tryton tests' mail catcher, on the standard library: Odoo's environment
has no aiosmtpd)."""
import email
import email.policy
import io
import socketserver
import threading

from odoo.tools.pdf import PdfReader


class _Session(socketserver.StreamRequestHandler):
    "One SMTP conversation: EHLO, MAIL, RCPT, DATA, QUIT (RFC 5321, without extensions)"

    def reply(self, line):
        self.wfile.write(line.encode() + b'\r\n')

    def handle(self):
        self.reply('220 127.0.0.1 mail catcher')
        recipients = []
        while line := self.rfile.readline():
            command = line.decode('utf-8', 'replace').strip()
            verb = command[:4].upper()
            if verb == 'EHLO':
                self.reply('250-127.0.0.1')
                self.reply('250 8BITMIME')
            elif verb in ('HELO', 'NOOP'):
                self.reply('250 OK')
            elif verb == 'MAIL':
                recipients = []
                self.reply('250 OK')
            elif verb == 'RCPT':
                recipients.append(command.partition(':')[2].strip().strip('<>').split('>')[0])
                self.reply('250 OK')
            elif verb == 'DATA':
                self.reply('354 End data with <CR><LF>.<CR><LF>')
                self.server.catcher.receive(recipients, self.read_data())
                self.reply('250 Message accepted')
            elif verb == 'RSET':
                recipients = []
                self.reply('250 OK')
            elif verb == 'QUIT':
                self.reply('221 Bye')
                return
            else:
                self.reply('502 Command not implemented')

    def read_data(self):
        lines = []
        while (line := self.rfile.readline()) not in (b'.\r\n', b'.\n', b''):
            lines.append(line[1:] if line.startswith(b'..') else line)
        return b''.join(lines)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class MailCatcher:
    "start() it, send to 127.0.0.1:.port, read .messages: [(recipients, message)]"

    def __init__(self):
        self.messages = []
        self.server = _Server(('127.0.0.1', 0), _Session)
        self.server.catcher = self
        self.port = self.server.server_address[1]
        self.lock = threading.Lock()

    def receive(self, recipients, data):
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self.lock:
            self.messages.append((recipients, message))

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def pdf_attachments(message):
    "Return (file name, text) of each PDF attached to the message"
    result = []
    for part in message.iter_attachments():
        if part.get_content_type() == 'application/pdf':
            reader = PdfReader(io.BytesIO(part.get_content()))
            text = '\n'.join(page.extract_text() for page in reader.pages)
            result.append((part.get_filename(), text))
    return result
