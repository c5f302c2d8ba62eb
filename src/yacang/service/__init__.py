"""One writer, many readers: the running server owns the warehouse; CLI commands run through it.

``yacang serve`` writes :data:`SERVER_FILE` (address, pid and a job token, mode 0600) in YACANG_HOME;
a CLI command that needs the warehouse finds it and sends its arguments to the server's job queue,
which runs them one at a time in the server process and streams the output back. Without a server the
CLI owns the file and waits, with a clear message, while another process holds it.
"""

from yacang.service.server_file import (
    SERVER_FILE,
    ServerFileError,
    ServerInfo,
    ServiceError,
    read_server_file,
    remove_server_file,
    write_server_file,
)

__all__ = ["SERVER_FILE", "ServerFileError", "ServerInfo", "ServiceError", "read_server_file", "remove_server_file",
           "write_server_file"]
