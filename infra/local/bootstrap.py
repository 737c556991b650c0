"""Create the local stack's table and buckets from the deployable template.

The template (infra/template.yaml) is the one source of truth: this script reads the
`AWS::DynamoDB::Table` and `AWS::S3::Bucket` resources from it and creates the table
in DynamoDB Local (`AWS_ENDPOINT_URL_DYNAMODB`) and the buckets in moto's server
(`AWS_ENDPOINT_URL`) with the same keys, indexes, time to live and versioning. The
names come from TABLE_NAME, MATERIALS_BUCKET and CERTIFICATES_BUCKET (the running
stack's `standing-local*`, the test suite's `standing-test*`). Running it twice
changes nothing.
"""

import os
import sys

import boto3
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class CfnLoader(yaml.SafeLoader):
    """A YAML loader that keeps CloudFormation's short-form tags as plain dicts."""


def _tag(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", _tag)


def load_template(path=os.path.join(ROOT, "infra", "template.yaml")):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=CfnLoader)


LOCAL_NAMES = {
    "Table": os.environ.get("TABLE_NAME", "standing-local"),
    "MaterialsBucket": os.environ.get("MATERIALS_BUCKET", "standing-local-materials"),
    "CertificatesBucket": os.environ.get("CERTIFICATES_BUCKET", "standing-local-certificates"),
}


def create_table(ddb, name, props):
    existing = ddb.list_tables()["TableNames"]
    if name in existing:
        return "exists"
    args = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    ddb.create_table(**args)
    ddb.get_waiter("table_exists").wait(TableName=name)
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        ddb.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
        )
    return "created"


def create_bucket(s3, name, props):
    try:
        s3.head_bucket(Bucket=name)
        state = "exists"
    except s3.exceptions.ClientError:
        region = s3.meta.region_name
        kwargs = {"Bucket": name}
        if region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(**kwargs)
        state = "created"
    status = props.get("VersioningConfiguration", {}).get("Status")
    if status:
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": status})
    return state


def drop_table(ddb, name):
    """Delete the table if it exists (test tables only: see main)."""
    if name in ddb.list_tables()["TableNames"]:
        ddb.delete_table(TableName=name)
        ddb.get_waiter("table_not_exists").wait(TableName=name)
        return True
    return False


def main():
    # --fresh: start from an empty table. test.sh asks for it: the tests expect a table
    # no earlier run wrote to (rate limits, notice lists). Only test tables are dropped.
    fresh = "--fresh" in sys.argv[1:]
    if fresh and not LOCAL_NAMES["Table"].startswith("standing-test"):
        sys.exit(f"refusing to drop {LOCAL_NAMES['Table']}: --fresh is for the test table only")
    template = load_template()
    ddb = boto3.client("dynamodb", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
    s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    made = 0
    for logical, resource in template["Resources"].items():
        kind = resource["Type"]
        if kind == "AWS::DynamoDB::Table":
            name = LOCAL_NAMES[logical]
            if fresh and drop_table(ddb, name):
                print(f"table {name}: dropped")
            print(f"table {name}: {create_table(ddb, name, resource['Properties'])}")
            made += 1
        elif kind == "AWS::S3::Bucket":
            name = LOCAL_NAMES[logical]
            print(f"bucket {name}: {create_bucket(s3, name, resource.get('Properties', {}))}")
            made += 1
    if made == 0:
        sys.exit("no table or bucket found in the template")


if __name__ == "__main__":
    main()
