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
import copy
import threading

import moto.dynamodb.models as dynamodb_models
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


class _OneBackupPerTable:
    """moto 5.2.5's TransactWriteItems backs up the whole table once per item of the
    transaction (to roll back on a failed condition). With requests serialised, one
    backup per table and transaction is the same backup: copy it once. Anything else
    is copied as before."""

    def __init__(self):
        self.backups = None

    def deepcopy(self, obj, memo=None):
        if self.backups is not None and isinstance(obj, dynamodb_models.Table):
            key = id(obj)
            if key not in self.backups:
                self.backups[key] = (obj, copy.deepcopy(obj))
            return self.backups[key][1]
        return copy.deepcopy(obj, memo)

    def __getattr__(self, name):
        return getattr(copy, name)


def _copy_each_table_once():
    shim = _OneBackupPerTable()
    dynamodb_models.copy = shim
    transact = dynamodb_models.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        shim.backups = {}
        try:
            return transact(self, transact_items)
        finally:
            shim.backups = None

    dynamodb_models.DynamoDBBackend.transact_write_items = transact_write_items


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=4566)
    args = parser.parse_args()

    _copy_each_table_once()
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
