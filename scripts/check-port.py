"""Say, before `make run` or `make serve` prepares anything, when their port is taken.

    python scripts/check-port.py HOST PORT TARGET

Exits 0 when the server can listen on HOST:PORT; otherwise prints which port is busy and how to
choose another (`make TARGET PORT=...`) and exits 1. It binds as the servers do (SO_REUSEADDR,
so a port left in TIME_WAIT by a server just stopped counts as free) and lets go at once.
"""

import errno
import socket
import sys


def problem(host: str, port_text: str, target: str) -> str:
    """Why the server could not listen on host:port ("" when it could)."""
    if not (port_text.isascii() and port_text.isdigit() and 0 < int(port_text) < 65536):
        return f"PORT must be a number from 1 to 65535, not {port_text!r}: make {target} PORT=8100"
    port = int(port_text)
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        return f"HOST {host!r} is not an address of this machine: make {target} HOST=127.0.0.1"
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"Port {port} on {host} is busy: another program is listening on it.\n"
                    f"Stop that program, or choose another port: make {target} PORT={_other(port)}"
                )
            if error.errno == errno.EACCES:
                return f"Port {port} needs administrator rights; choose one above 1023: make {target} PORT=8100"
            return (
                f"Cannot listen on {host}:{port} ({error.strerror}); try: make {target} PORT=8100"
            )
    return ""


def _other(port: int) -> int:
    """A port to suggest instead: the next hundred up (8000 -> 8100), kept in range."""
    return port + 100 if port + 100 < 65536 else 8100


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    if message := problem(*sys.argv[1:]):
        sys.exit(message)
