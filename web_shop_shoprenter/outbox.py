"""A local outbox for the demo: an SMTP server on 127.0.0.1 that writes each
message it receives into a maildir folder, so a newcomer can open the
invoice e-mails (and their PDFs) that Tryton sent.

    controller, uri = start_outbox(Path('demo/outbox'))
    # [email] uri = <uri> in trytond.conf, or trytond.config.set(...)
    ...
    controller.stop()

The demo (`shoprenter serve`) and the tests use it."""
import socket


def free_port(host='127.0.0.1'):
    # aiosmtpd's Controller cannot bind port 0: it must know its port to
    # check that the server is up.
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def start_outbox(directory, host='127.0.0.1', port=None):
    "Start the SMTP outbox writing into directory; return it and its URI"
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox
    # Maildir makes the folder with its tmp/new/cur itself.
    directory.parent.mkdir(parents=True, exist_ok=True)
    controller = Controller(
        Mailbox(str(directory)), hostname=host, port=port or free_port(host))
    controller.start()
    return controller, f'smtp://{host}:{controller.port}'
