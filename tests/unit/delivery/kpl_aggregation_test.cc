#include "delivery/kpl_aggregation.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "common/hash.h"

namespace tarn::delivery {
namespace {

using namespace std::string_literals;

const std::string kMagic = "\xF3\x89\x9A\xC2"s;

// magic + protobuf + MD5(protobuf), as the format document lays it out.
std::string Wrap(std::string_view protobuf) {
    const Md5Digest digest = Md5(protobuf);
    return kMagic + std::string(protobuf) +
           std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

bool PointsInto(std::string_view view, std::string_view buffer) {
    return view.data() >= buffer.data() &&
           view.data() + view.size() <= buffer.data() + buffer.size();
}

void ExpectPassThrough(const std::string& record) {
    auto result = Deaggregate(record, "pk");
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ASSERT_EQ(result->size(), 1u);
    EXPECT_EQ((*result)[0].partition_key, "pk");
    EXPECT_EQ((*result)[0].explicit_hash_key, "");
    EXPECT_EQ((*result)[0].data.data(), record.data());  // the very bytes, not a copy
    EXPECT_EQ((*result)[0].data.size(), record.size());
}

// A malformed protobuf with a correct MD5: the strict reader says what is wrong, Deaggregate
// passes the record through unchanged as the KCL does.
void ExpectMalformed(std::string_view protobuf, std::string_view message_part) {
    const std::string record = Wrap(protobuf);
    auto strict = DeaggregateStrict(record);
    ASSERT_FALSE(strict.ok());
    EXPECT_EQ(strict.status().code(), StatusCode::kCorruption);
    EXPECT_NE(strict.status().message().find(message_part), std::string::npos)
        << strict.status().ToString();
    ExpectPassThrough(record);
}

TEST(KplAggregationTest, ByteExactAgainstTheDocumentedFormat) {
    // AggregatedRecord, field by field (tag = field_number << 3 | wire_type):
    const std::string protobuf =
        "\x0A\x01"
        "a"s +  // partition_key_table[0] = "a"       (field 1, length-delimited)
        "\x0A\x01"
        "b"s +  // partition_key_table[1] = "b"
        "\x12\x02"
        "12"s +  // explicit_hash_key_table[0] = "12" (field 2, length-delimited)
        // records[0] (field 3, 6 bytes): partition_key_index 0 (field 1, varint), data "xy"
        "\x1A\x06\x08\x00\x1A\x02xy"s +
        // records[1] (6 bytes): partition_key_index 1, explicit_hash_key_index 0, data ""
        "\x1A\x06\x08\x01\x10\x00\x1A\x00"s +
        // records[2] (5 bytes): partition_key_index 0, data "z"
        "\x1A\x05\x08\x00\x1A\x01z"s;
    const std::string expected = Wrap(protobuf);
    ASSERT_EQ(expected.size(), 4 + 33 + 16u);

    const std::vector<UserRecord> users = {{"a", "", "xy"}, {"b", "12", ""}, {"a", "", "z"}};
    EXPECT_EQ(Aggregate(users), expected);

    auto result = Deaggregate(expected, "outer");
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(*result, users);
    auto strict = DeaggregateStrict(expected);
    ASSERT_TRUE(strict.ok()) << strict.status().ToString();
    EXPECT_EQ(*strict, users);
}

TEST(KplAggregationTest, RoundTripManyRecords) {
    std::mt19937_64 rng(42);
    std::vector<std::string> keys;
    for (int i = 0; i < 300; ++i) keys.push_back("key-" + std::to_string(i));  // >127: 2-byte idx
    std::vector<std::string> hash_keys = {"0", "170141183460469231731687303715884105728",
                                          "340282366920938463463374607431768211455"};
    std::vector<std::string> payloads;
    std::vector<UserRecord> users;
    const int kRecords = 2000;
    payloads.reserve(kRecords);
    for (int i = 0; i < kRecords; ++i) {
        size_t size = rng() % 300;  // lengths on both sides of 127
        if (i % 97 == 0) size = 0;
        if (i == 1234) size = 1 << 20;  // one large record
        std::string payload(size, '\0');
        for (char& c : payload) c = static_cast<char>(rng());
        payloads.push_back(std::move(payload));
    }
    for (int i = 0; i < kRecords; ++i) {
        // Shared keys (the first 10, often) and distinct ones.
        const std::string& pk = (i % 2 == 0) ? keys[rng() % 10] : keys[rng() % keys.size()];
        std::string_view ehk = (i % 3 == 0) ? std::string_view(hash_keys[rng() % 3]) : "";
        users.push_back({pk, ehk, payloads[i]});
    }

    const std::string record = Aggregate(users);
    EXPECT_TRUE(IsKplAggregated(record));
    auto result = Deaggregate(record, "ignored");
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ASSERT_EQ(result->size(), users.size());
    for (size_t i = 0; i < users.size(); ++i) {
        EXPECT_EQ((*result)[i], users[i]) << "record " << i;
        EXPECT_TRUE(PointsInto((*result)[i].data, record)) << "record " << i;
        EXPECT_TRUE(PointsInto((*result)[i].partition_key, record)) << "record " << i;
    }
}

TEST(KplAggregationTest, SharedKeysAreStoredOnce) {
    const std::vector<UserRecord> users = {{"same", "7", "1"}, {"same", "7", "2"}};
    const std::string record = Aggregate(users);
    // magic, "same" once, "7" once, two records of 7 bytes each, MD5.
    EXPECT_EQ(record.size(), 4u + (2 + 4) + (2 + 1) + 2 * (2 + 7) + 16);
    auto result = DeaggregateStrict(record);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(*result, users);
}

TEST(KplAggregationTest, UnknownFieldsAreSkipped) {
    const std::string protobuf =
        "\x78\x96\x01"s +                   // field 15, varint 150
        "\x49"s + std::string(8, '\x11') +  // field 9, fixed64
        "\x55"s + std::string(4, '\x22') +  // field 10, fixed32
        "\x5A\x03"
        "abc"s +                               // field 11, length-delimited
        "\x63\x08\x05\x6B\x10\x01\x6C\x64"s +  // field 12, group holding a varint and a group
        "\x08\x07"s +                          // field 1 with the wrong wire type (varint)
        "\x0A\x01k"s +                         // partition_key_table[0] = "k"
        "\x80\x80\x80\x80\x08\x00"s +          // field 2^28 (a 5-byte tag), varint 0
        // records[0]: unknown field 7, a tag {key "t"}, data "old" then "new" (the last wins),
        // partition_key_index given twice (the last wins), an unknown fixed32.
        "\x1A\x1A"s +                           // 26 bytes:
        "\x08\x05"                              // partition_key_index 5 (overridden)
        "\x38\x01"                              // field 7, varint
        "\x22\x03\x0A\x01t"                     // tags[0] = {key "t"}
        "\x1A\x03old"                           // data "old" (overridden)
        "\x1A\x03new"                           // data "new"
        "\x08\x00"                              // partition_key_index 0
        "\x45\x01\x02\x03\x04"s;                // field 8, fixed32
    const std::string record = Wrap(protobuf);  // the views point into it
    auto result = DeaggregateStrict(record);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ASSERT_EQ(result->size(), 1u);
    EXPECT_EQ((*result)[0], (UserRecord{"k", "", "new"}));
}

TEST(KplAggregationTest, WrongMd5PassesThroughUnchanged) {
    std::string record = Aggregate({{"a", "", "payload"}});
    record.back() = static_cast<char>(record.back() ^ 1);
    ExpectPassThrough(record);
    auto strict = DeaggregateStrict(record);
    ASSERT_FALSE(strict.ok());
    EXPECT_EQ(strict.status().code(), StatusCode::kCorruption);
    EXPECT_NE(strict.status().message().find("MD5"), std::string::npos);

    // A flipped data byte breaks the MD5 too.
    std::string damaged = Aggregate({{"a", "", "payload"}});
    damaged[damaged.size() - 17] ^= 0x20;
    ExpectPassThrough(damaged);
}

TEST(KplAggregationTest, MalformedProtobufIsAnErrorOrAPassThrough) {
    ExpectMalformed("\x0A"s, "truncated varint");      // tag without its length
    ExpectMalformed("\x0A\x85"s, "truncated varint");  // length cut in the middle
    ExpectMalformed(
        "\x0A\x05"
        "ab"s,
        "length beyond the end");
    ExpectMalformed("\x0A\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x01"s, "length beyond the end");
    ExpectMalformed("\x0A\x01k\x1A\x02\x08\x80"s, "truncated varint");  // inside a record
    ExpectMalformed("\x0A\x01k\x1A\x06\x08\x00\x1A\x09xy"s, "length beyond the end");
    ExpectMalformed("\x08"s + std::string(10, '\xFF') + "\x01"s, "longer than 10 bytes");
    ExpectMalformed("\x49\x01\x02"s, "truncated fixed-size field");
    ExpectMalformed("\x55\x01"s, "truncated fixed-size field");
    ExpectMalformed("\x0F\x00"s, "invalid wire type");
    ExpectMalformed("\x00\x00"s, "invalid field number");
    ExpectMalformed("\x63\x08\x01"s, "group without its end");
    ExpectMalformed("\x63\x6C"s, "mismatched group end");
    ExpectMalformed("\x64"s, "group end without its start");
    ExpectMalformed(std::string(200, '\x63'), "nested too deeply");
    ExpectMalformed("\x0A\x01k\x1A\x02\x08\x00"s, "record without data");
    ExpectMalformed("\x0A\x01k\x1A\x02\x1A\x00"s, "record without partition_key_index");
    ExpectMalformed("\x0A\x01k\x1A\x06\x08\x00\x1A\x00\x22\x00"s, "tag without its key");
}

TEST(KplAggregationTest, EveryTruncationIsHandled) {
    const std::string full =
        Aggregate({{"partition", "123", std::string(200, 'x')}, {"other", "", "yz"}});
    const std::string_view protobuf = std::string_view(full).substr(4, full.size() - 20);
    for (size_t n = 1; n < protobuf.size(); ++n) {
        const std::string record = Wrap(protobuf.substr(0, n));
        auto strict = DeaggregateStrict(record);  // must not crash (ASan/UBSan watch)
        if (!strict.ok()) {
            EXPECT_EQ(strict.status().code(), StatusCode::kCorruption) << n;
            ExpectPassThrough(record);
        }
        // A cut record without its MD5 fixed up fails the checksum.
        const std::string cut = full.substr(0, 4 + n) + full.substr(full.size() - 16);
        ExpectPassThrough(cut);
    }
}

TEST(KplAggregationTest, KeyIndexOutOfRangeNamesTheRecord) {
    // Two partition keys; records[1] points at partition key 2.
    const std::string pk_out =
        "\x0A\x01"
        "a\x0A\x01"
        "b"
        "\x1A\x04\x08\x01\x1A\x00"
        "\x1A\x04\x08\x02\x1A\x00"s;
    for (auto result : {Deaggregate(Wrap(pk_out), "pk"), DeaggregateStrict(Wrap(pk_out))}) {
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.status().code(), StatusCode::kCorruption);
        EXPECT_NE(result.status().message().find("user record 1 has partition_key_index 2"),
                  std::string::npos)
            << result.status().ToString();
    }
    // No explicit hash key table; records[0] has explicit_hash_key_index 0.
    const std::string ehk_out =
        "\x0A\x01"
        "a\x1A\x06\x08\x00\x10\x00\x1A\x00"s;
    auto result = Deaggregate(Wrap(ehk_out), "pk");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.status().message().find("user record 0 has explicit_hash_key_index 0"),
              std::string::npos)
        << result.status().ToString();
}

TEST(KplAggregationTest, NonAggregatedRecordsPassThrough) {
    ExpectPassThrough("");
    ExpectPassThrough("plain data");
    ExpectPassThrough(kMagic.substr(0, 3));
    ExpectPassThrough(kMagic);
    ExpectPassThrough(kMagic + std::string(16, '\0'));  // no protobuf byte before the MD5
    ExpectPassThrough("\xF3\x89\x9A\xC3"s + std::string(40, 'x'));  // almost the magic
    EXPECT_FALSE(IsKplAggregated("plain data"));
    EXPECT_FALSE(IsKplAggregated(kMagic + std::string(16, '\0')));
    EXPECT_TRUE(IsKplAggregated(kMagic + std::string(17, '\0')));
    EXPECT_FALSE(DeaggregateStrict("plain data").ok());
}

TEST(KplAggregationTest, EmptyAggregates) {
    // No user records at all: magic + MD5 of the empty protobuf; not recognised as aggregated.
    const std::string empty = Aggregate({});
    EXPECT_EQ(empty, Wrap(""));
    ExpectPassThrough(empty);
    // Only a key table, no records: zero user records.
    auto result = Deaggregate(Wrap("\x0A\x01k"s), "pk");
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result->empty());
    // One user record with everything empty.
    const std::vector<UserRecord> one = {{"", "", ""}};
    const std::string record = Aggregate(one);
    auto round = Deaggregate(record, "pk");
    ASSERT_TRUE(round.ok());
    EXPECT_EQ(*round, one);
}

}  // namespace
}  // namespace tarn::delivery
