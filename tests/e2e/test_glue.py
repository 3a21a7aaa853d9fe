"""End-to-end: the Glue Data Catalog API of a real tarn server, driven by boto3's glue client and
the aws CLI v2 (Debian's /usr/bin/python3 and /usr/bin/aws): databases, tables and their versions,
partitions with Expression, Segment and a paginator, Glue's error codes, and a crawler that
catalogues NDJSON files written into the server's lake."""
import json
import os
import subprocess
import unittest

import boto3
import botocore.config
import botocore.exceptions

from tarn_harness import error_code, poll, AWS_ENV, TarnProcess


def glue_client(endpoint):
    return boto3.client(
        "glue", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="tarn-test", aws_secret_access_key="tarn-test-secret",
        config=botocore.config.Config(retries={"max_attempts": 1}))




def columns(*names_and_types):
    return [{"Name": n, "Type": t} for n, t in names_and_types]


def months(partitions):
    return ["%s/%s" % tuple(p["Values"]) for p in partitions]


class GlueTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tarn = TarnProcess.server()
        cls.glue = glue_client(cls.tarn.endpoint)
        # The server's lake root (the contract of `tarn server`): file://<abs data dir>/lake/.
        cls.lake = "file://" + os.path.abspath(cls.tarn.data_dir) + "/lake/"

    @classmethod
    def tearDownClass(cls):
        status = cls.tarn.stop()
        cls.tarn.cleanup()
        assert status == 0, "tarn exited with %s" % status

    def create_orders(self, database):
        """`database`.orders, partitioned by year (int) and month (string), with six partitions:
        2025/11, 2025/12, 2026/01 .. 2026/04."""
        self.glue.create_database(DatabaseInput={"Name": database, "Description": "e2e"})
        self.glue.create_table(DatabaseName=database, TableInput={
            "Name": "orders",
            "StorageDescriptor": {
                "Columns": columns(("id", "bigint"), ("total", "double")),
                "Location": self.lake + "raw/orders/",
                "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                "SerdeInfo": {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"},
            },
            "PartitionKeys": columns(("year", "int"), ("month", "string")),
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {"classification": "json"},
        })
        values = [("2025", "11"), ("2025", "12"), ("2026", "01"), ("2026", "02"), ("2026", "03"),
                  ("2026", "04")]
        answer = self.glue.batch_create_partition(
            DatabaseName=database, TableName="orders",
            PartitionInputList=[{"Values": list(v)} for v in values])
        self.assertEqual(answer.get("Errors", []), [])

    def test_tables_partitions_and_versions(self):
        self.create_orders("shop")
        self.glue.create_table(DatabaseName="shop", TableInput={
            "Name": "customers", "StorageDescriptor": {"Columns": columns(("id", "bigint"))}})

        names = [t["Name"] for t in self.glue.get_tables(DatabaseName="shop")["TableList"]]
        self.assertEqual(names, ["customers", "orders"])
        filtered = self.glue.get_tables(DatabaseName="shop", Expression="ord*")["TableList"]
        self.assertEqual([t["Name"] for t in filtered], ["orders"])
        orders = self.glue.get_table(DatabaseName="shop", Name="orders")["Table"]
        self.assertEqual(orders["StorageDescriptor"]["Location"], self.lake + "raw/orders/")
        self.assertEqual([k["Name"] for k in orders["PartitionKeys"]], ["year", "month"])

        selected = self.glue.get_partitions(DatabaseName="shop", TableName="orders",
                                            Expression="year = 2026 AND month >= '02'")
        self.assertEqual(months(selected["Partitions"]), ["2026/02", "2026/03", "2026/04"])
        one = self.glue.get_partition(DatabaseName="shop", TableName="orders",
                                      PartitionValues=["2025", "12"])["Partition"]
        self.assertEqual(one["StorageDescriptor"]["Location"],
                         self.lake + "raw/orders/year=2025/month=12/")

        # Segments split the listing: disjoint, and together every partition.
        segments = []
        for n in range(3):
            segments += months(self.glue.get_partitions(
                DatabaseName="shop", TableName="orders",
                Segment={"SegmentNumber": n, "TotalSegments": 3})["Partitions"])
        self.assertEqual(sorted(segments), ["2025/11", "2025/12", "2026/01", "2026/02", "2026/03",
                                            "2026/04"])

        # boto3's paginator follows NextToken page by page.
        pages = list(self.glue.get_paginator("get_partitions").paginate(
            DatabaseName="shop", TableName="orders", PaginationConfig={"PageSize": 2}))
        self.assertEqual(len(pages), 3)
        self.assertEqual(sum((months(p["Partitions"]) for p in pages), []),
                         ["2025/11", "2025/12", "2026/01", "2026/02", "2026/03", "2026/04"])

        # A schema change makes a new version; the old one stays readable.
        orders_input = {k: orders[k] for k in ("Name", "StorageDescriptor", "PartitionKeys",
                                               "TableType", "Parameters")}
        orders_input["StorageDescriptor"]["Columns"].append({"Name": "coupon", "Type": "string"})
        self.glue.update_table(DatabaseName="shop", TableInput=orders_input)
        versions = self.glue.get_table_versions(DatabaseName="shop",
                                                TableName="orders")["TableVersions"]
        self.assertEqual([v["VersionId"] for v in versions], ["2", "1"])
        self.assertEqual([c["Name"] for c in versions[0]["Table"]["StorageDescriptor"]["Columns"]],
                         ["id", "total", "coupon"])
        self.assertEqual(len(versions[1]["Table"]["StorageDescriptor"]["Columns"]), 2)

        self.glue.delete_partition(DatabaseName="shop", TableName="orders",
                                   PartitionValues=["2025", "11"])
        got = self.glue.batch_get_partition(
            DatabaseName="shop", TableName="orders",
            PartitionsToGet=[{"Values": ["2025", "11"]}, {"Values": ["2025", "12"]}])
        self.assertEqual(months(got["Partitions"]), ["2025/12"])

    def test_errors_are_glue_error_codes(self):
        self.glue.create_database(DatabaseInput={"Name": "errs"})
        self.assertEqual(error_code(self.glue.create_database, DatabaseInput={"Name": "errs"}),
                         ("AlreadyExistsException", 400))
        self.assertEqual(error_code(self.glue.get_table, DatabaseName="errs", Name="missing"),
                         ("EntityNotFoundException", 400))
        self.assertEqual(error_code(self.glue.get_database, Name="no_such_db"),
                         ("EntityNotFoundException", 400))
        self.create_orders("errs2")
        self.assertEqual(error_code(self.glue.get_partitions, DatabaseName="errs2",
                                    TableName="orders", Expression="nokey = 1"),
                         ("InvalidInputException", 400))
        self.assertEqual(error_code(self.glue.get_partitions, DatabaseName="errs2",
                                    TableName="orders",
                                    Segment={"SegmentNumber": 0, "TotalSegments": 11}),
                         ("InvalidInputException", 400))
        self.assertEqual(error_code(self.glue.create_crawler, Name="outside", Role="r",
                                    Targets={"S3Targets": [{"Path": "s3://elsewhere/x/"}]}),
                         ("InvalidInputException", 400))
        self.glue.create_crawler(Name="idle", Role="r",
                                 Targets={"S3Targets": [{"Path": self.lake + "processed/"}]})
        self.assertEqual(error_code(self.glue.stop_crawler, Name="idle"),
                         ("CrawlerNotRunningException", 400))
        self.assertEqual(error_code(self.glue.start_crawler, Name="ghost"),
                         ("EntityNotFoundException", 400))
        self.glue.delete_crawler(Name="idle")

    def test_aws_cli_lists_tables_and_partitions(self):
        self.create_orders("cli")

        def aws(*args):
            out = subprocess.run(
                ["/usr/bin/aws", "glue", *args, "--endpoint-url", self.tarn.endpoint,
                 "--region", "us-east-1", "--output", "json"],
                env=AWS_ENV, capture_output=True, text=True, timeout=60)
            self.assertEqual(out.returncode, 0, out.stderr)
            return json.loads(out.stdout)

        tables = aws("get-tables", "--database-name", "cli")["TableList"]
        self.assertEqual([t["Name"] for t in tables], ["orders"])
        # The CLI paginates on its own (--page-size 2 means three requests).
        partitions = aws("get-partitions", "--database-name", "cli", "--table-name", "orders",
                         "--expression", "year = 2025", "--page-size", "2")["Partitions"]
        self.assertEqual(months(partitions), ["2025/11", "2025/12"])

    def test_crawler_catalogues_the_lake(self):
        for day, rows in (("2026-01-01", [{"id": 1, "page": "/", "ms": 12}]),
                          ("2026-01-02", [{"id": 2, "page": "/x", "ms": 7.5}])):
            folder = os.path.join(self.tarn.data_dir, "lake", "raw", "visits", "day=" + day)
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "x.json"), "w") as f:
                f.write("".join(json.dumps(r) + "\n" for r in rows))

        self.glue.create_crawler(Name="Visits", Role="arn:aws:iam::000000000000:role/glue",
                                 DatabaseName="crawled",
                                 Targets={"S3Targets": [{"Path": self.lake + "raw/visits/"}]})
        self.assertIn("Visits", self.glue.list_crawlers()["CrawlerNames"])
        self.assertEqual(self.glue.get_crawler(Name="Visits")["Crawler"]["State"], "READY")
        self.glue.start_crawler(Name="Visits")

        def finished():
            crawler = self.glue.get_crawler(Name="Visits")["Crawler"]
            return crawler if crawler["State"] == "READY" and "LastCrawl" in crawler else None
        crawler = poll(finished)
        self.assertEqual(crawler["LastCrawl"]["Status"], "SUCCEEDED", crawler)

        tables = self.glue.get_tables(DatabaseName="crawled")["TableList"]
        self.assertEqual([t["Name"] for t in tables], ["visits"])
        inferred = {c["Name"]: c["Type"] for c in tables[0]["StorageDescriptor"]["Columns"]}
        self.assertEqual(inferred, {"id": "bigint", "page": "string", "ms": "double"})
        self.assertEqual([k["Name"] for k in tables[0]["PartitionKeys"]], ["day"])
        partitions = self.glue.get_partitions(DatabaseName="crawled",
                                              TableName="visits")["Partitions"]
        self.assertEqual(sorted(p["Values"][0] for p in partitions), ["2026-01-01", "2026-01-02"])

        metrics = self.glue.get_crawler_metrics(CrawlerNameList=["Visits"])["CrawlerMetricsList"]
        self.assertEqual(len(metrics), 1)
        self.assertEqual(metrics[0]["CrawlerName"], "Visits")
        self.assertEqual(metrics[0]["TablesCreated"], 1)
        self.glue.delete_crawler(Name="Visits")
        self.assertEqual(error_code(self.glue.get_crawler, Name="Visits"),
                         ("EntityNotFoundException", 400))


if __name__ == "__main__":
    unittest.main()
