"""moto's server, one request at a time.

moto's own `moto_server` handles requests on threads and does not serialise its
conditional writes: two concurrent TransactWriteItems with the same `version = :v`
condition can both succeed. DynamoDB is linearizable per item, and Standing's
concurrency guarantees (one review outcome, one closing, one certificate) rest on
that. This launcher runs the same moto application with a lock around each request,
so the local endpoint keeps DynamoDB's contract and the concurrency tests test
Standing, not moto's race. Connections are still served on threads (keep-alive pools
of the SDK clients do not block each other).
"""

import argparse
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=4566)
    args = parser.parse_args()

    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True
    lock = threading.Lock()

    def serialised(environ, start_response):
        with lock:
            # Materialise the body inside the lock: the state change and the answer
            # belong to the same critical section.
            return list(app(environ, start_response))

    run_simple(
        args.host,
        args.port,
        serialised,
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
