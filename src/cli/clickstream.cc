#include "cli/clickstream.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <numeric>
#include <span>
#include <string_view>

#include "common/time_format.h"

namespace tarn::cli {
namespace {

__extension__ using Int128 = __int128;

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kSessionMs = 30 * 60'000;
constexpr int64_t kMaxTimeMs = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
constexpr double kZipfExponent = 1.1;
constexpr uint32_t kProducts = 5000;

// splitmix64's finalizer: a bijection on 64-bit values with good avalanche.
constexpr uint64_t Mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class SplitMix64 {
public:
    explicit SplitMix64(uint64_t state) : state_(state) {}
    uint64_t Next() {
        state_ += kGolden;
        return Mix64(state_);
    }

private:
    uint64_t state_;
};

// ---- Vocabulary ------------------------------------------------------------------------------

struct Weighted {
    std::string_view name;
    uint32_t weight;
};

enum EventType : uint8_t {
    kView,
    kClick,
    kSearch,
    kAddToCart,
    kRemoveFromCart,
    kPurchase,
    kSignup,
    kLogin,
    kLogout,
};
constexpr Weighted kEventTypes[] = {
    {"view", 50},    {"click", 20}, {"search", 9}, {"add_to_cart", 7}, {"remove_from_cart", 2},
    {"purchase", 3}, {"signup", 1}, {"login", 5},  {"logout", 3},
};

// Index 0 is "no referrer" (JSON null).
constexpr Weighted kReferrers[] = {
    {"", 40},
    {"https://www.google.com/", 30},
    {"https://www.bing.com/", 4},
    {"https://duckduckgo.com/", 3},
    {"https://www.facebook.com/", 6},
    {"https://www.instagram.com/", 4},
    {"https://t.co/", 5},
    {"https://www.reddit.com/", 4},
    {"https://news.ycombinator.com/", 2},
    {"https://mail.example.com/", 2},
};

constexpr Weighted kCountries[] = {
    {"US", 28}, {"IN", 9}, {"GB", 7}, {"DE", 7}, {"BR", 6}, {"FR", 5}, {"JP", 5}, {"CA", 4},
    {"MX", 3},  {"ES", 3}, {"IT", 3}, {"AU", 3}, {"NL", 2}, {"KR", 2}, {"PL", 2}, {"ID", 2},
    {"SE", 1},  {"TR", 1}, {"ZA", 1}, {"NG", 1}, {"AR", 1}, {"CH", 1}, {"IE", 1}, {"SG", 1},
};

enum Device : uint8_t { kMobile, kDesktop, kTablet, kDeviceCount };
constexpr Weighted kDevices[] = {{"mobile", 58}, {"desktop", 35}, {"tablet", 7}};

struct Profile {
    Device device;
    std::string_view os;
    int width;
    int height;
};
constexpr Profile kProfiles[] = {
    {kMobile, "iOS 17", 390, 844},        {kMobile, "iOS 17", 430, 932},
    {kMobile, "iOS 16", 375, 667},        {kMobile, "Android 14", 412, 915},
    {kMobile, "Android 13", 360, 800},    {kMobile, "Android 12", 393, 873},
    {kDesktop, "Windows 11", 1920, 1080}, {kDesktop, "Windows 10", 1366, 768},
    {kDesktop, "macOS 14", 1440, 900},    {kDesktop, "macOS 13", 2560, 1440},
    {kDesktop, "Linux", 1920, 1080},      {kDesktop, "ChromeOS", 1366, 768},
    {kTablet, "iPadOS 17", 820, 1180},    {kTablet, "iPadOS 16", 768, 1024},
    {kTablet, "Android 13", 800, 1280},
};

constexpr Weighted kAppVersions[] = {{"3.4.1", 50}, {"3.4.0", 25}, {"3.3.2", 15}, {"3.2.0", 10}};

constexpr std::string_view kTags[] = {"sale",  "promo",   "new",       "returning",  "vip",
                                      "email", "holiday", "clearance", "mobile_app", "beta"};
constexpr Weighted kTagCounts[] = {{"0", 45}, {"1", 30}, {"2", 17}, {"3", 8}};

constexpr std::string_view kCategories[] = {"electronics", "books",     "home",    "garden",
                                            "toys",        "sports",    "fashion", "beauty",
                                            "grocery",     "automotive"};
constexpr std::string_view kSearchTerms[] = {
    "running+shoes", "laptop",     "usb-c+cable", "coffee+maker", "headphones", "desk+lamp",
    "yoga+mat",      "phone+case", "backpack",    "air+fryer",    "gift+card",  "lego",
    "winter+jacket", "monitor",    "board+games", "water+bottle",
};

constexpr uint32_t kPriceCents[] = {499,  999,  1299,  1999,  2450,  2999,  3999,   4999,
                                    7900, 8999, 12900, 19999, 24999, 59900, 129999, 1595};

enum MalformedKind : uint8_t { kTruncated, kTrailingComma, kSingleQuotes, kGarbage };
constexpr Weighted kMalformedKinds[] = {
    {"truncated", 40}, {"trailing_comma", 20}, {"single_quotes", 20}, {"garbage", 20}};
// None of these is valid JSON.
constexpr std::string_view kGarbageLines[] = {
    "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>",
    "2026-01-01 00:00:00,123 ERROR [producer] upstream timed out (110: Connection timed out)",
    "event_type=click&user_id=4821&page=%2Fcart",
    "Traceback (most recent call last):",
    "undefined",
    "user_id,event_type,page\t4821,view,/products/17",
};

// A 1024-way lookup from 10 random bits to an index, in proportion to the weights.
using Slots = std::array<uint8_t, 1024>;

Slots BuildSlots(std::span<const Weighted> items) {
    uint64_t total = 0;
    for (const auto& item : items) total += item.weight;
    Slots slots{};
    size_t k = 0;
    uint64_t upper = items[0].weight;
    for (size_t s = 0; s < slots.size(); ++s) {
        const uint64_t mid = (2 * s + 1) * total;  // slot midpoint, scaled by 2 * 1024
        while (mid >= upper * 2 * slots.size() && k + 1 < items.size()) upper += items[++k].weight;
        slots[s] = static_cast<uint8_t>(k);
    }
    return slots;
}

std::string Cat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (std::string_view part : parts) out.append(part);
    return out;
}

// The fixed text of every line, built once per process.
struct Tables {
    Slots event_type_slots, referrer_slots, country_slots, device_slots, app_version_slots,
        tag_count_slots, malformed_slots;
    std::string type_page[std::size(kEventTypes)];        // `","event_type":"view","page":"`
    std::string referrer_country[std::size(kReferrers)];  // `","referrer":null,"country":"`
    std::string country_device[std::size(kCountries)][kDeviceCount];  // `US","device":"mobile"`
    // Per device: `,"context":{...},"tags":`, one per (profile, app version) of that device.
    std::vector<std::string> contexts[kDeviceCount];
    uint32_t profiles_per_device[kDeviceCount] = {};
    std::vector<std::string> tag_lists[4];  // by tag count: `["sale","vip"]}` + '\n'
    char hex[512];                          // byte -> two lowercase hex digits
    char pairs[200];                        // 0..99 -> two decimal digits
};

const Tables& GetTables() {
    static const Tables tables = [] {
        Tables t;
        t.event_type_slots = BuildSlots(kEventTypes);
        t.referrer_slots = BuildSlots(kReferrers);
        t.country_slots = BuildSlots(kCountries);
        t.device_slots = BuildSlots(kDevices);
        t.app_version_slots = BuildSlots(kAppVersions);
        t.tag_count_slots = BuildSlots(kTagCounts);
        t.malformed_slots = BuildSlots(kMalformedKinds);
        for (size_t i = 0; i < std::size(kEventTypes); ++i) {
            t.type_page[i] = Cat({"\",\"event_type\":\"", kEventTypes[i].name, "\",\"page\":\""});
        }
        for (size_t i = 0; i < std::size(kReferrers); ++i) {
            t.referrer_country[i] =
                i == 0 ? Cat({"\",\"referrer\":null,\"country\":\""})
                       : Cat({"\",\"referrer\":\"", kReferrers[i].name, "\",\"country\":\""});
        }
        for (size_t c = 0; c < std::size(kCountries); ++c) {
            for (int d = 0; d < kDeviceCount; ++d) {
                t.country_device[c][d] =
                    Cat({kCountries[c].name, "\",\"device\":\"", kDevices[d].name, "\""});
            }
        }
        for (const Profile& profile : kProfiles) {
            ++t.profiles_per_device[profile.device];
            const std::string w = std::to_string(profile.width);
            const std::string h = std::to_string(profile.height);
            for (const Weighted& version : kAppVersions) {
                t.contexts[profile.device].push_back(
                    Cat({",\"context\":{\"app_version\":\"", version.name, "\",\"os\":\"",
                         profile.os, "\",\"screen\":{\"w\":", w, ",\"h\":", h, "}},\"tags\":"}));
            }
        }
        const size_t n = std::size(kTags);
        t.tag_lists[0].push_back("[]}\n");
        for (size_t a = 0; a < n; ++a) {
            const std::string_view ta = kTags[a];
            t.tag_lists[1].push_back(Cat({"[\"", ta, "\"]}\n"}));
            for (size_t b = a + 1; b < n; ++b) {
                const std::string_view tb = kTags[b];
                t.tag_lists[2].push_back(Cat({"[\"", ta, "\",\"", tb, "\"]}\n"}));
                for (size_t c = b + 1; c < n; ++c) {
                    t.tag_lists[3].push_back(
                        Cat({"[\"", ta, "\",\"", tb, "\",\"", kTags[c], "\"]}\n"}));
                }
            }
        }
        constexpr char kDigits[] = "0123456789abcdef";
        for (int i = 0; i < 256; ++i) {
            t.hex[2 * i] = kDigits[i >> 4];
            t.hex[2 * i + 1] = kDigits[i & 15];
        }
        for (int i = 0; i < 100; ++i) {
            t.pairs[2 * i] = static_cast<char>('0' + i / 10);
            t.pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
        }
        return t;
    }();
    return tables;
}

// ---- Formatting helpers ----------------------------------------------------------------------

inline char* Put(char* p, std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

template <size_t N>
inline char* PutLiteral(char* p, const char (&s)[N]) {
    std::memcpy(p, s, N - 1);
    return p + N - 1;
}

// Writes the low `digits` (even) hex digits of v.
inline char* PutHex(char* p, uint64_t v, int digits, const Tables& t) {
    for (int shift = (digits - 2) * 4; shift >= 0; shift -= 8) {
        std::memcpy(p, &t.hex[2 * ((v >> shift) & 0xff)], 2);
        p += 2;
    }
    return p;
}

inline char* PutPair(char* p, unsigned v, const Tables& t) {
    std::memcpy(p, &t.pairs[2 * v], 2);
    return p + 2;
}

inline char* PutUint(char* p, uint64_t v) { return std::to_chars(p, p + 20, v).ptr; }

int64_t ClampTime(Int128 ms) { return static_cast<int64_t>(std::clamp<Int128>(ms, 0, kMaxTimeMs)); }

}  // namespace

// ---- Options ---------------------------------------------------------------------------------

Status ValidateClickstreamOptions(const ClickstreamOptions& o) {
    auto rate_ok = [](double r) { return r >= 0.0 && r <= 1.0; };  // false for NaN
    if (!rate_ok(o.malformed_rate)) {
        return Status::InvalidArgument("malformed rate must be in [0, 1], got " +
                                       std::to_string(o.malformed_rate));
    }
    if (!rate_ok(o.duplicate_rate)) {
        return Status::InvalidArgument("duplicate rate must be in [0, 1], got " +
                                       std::to_string(o.duplicate_rate));
    }
    if (o.malformed_rate + o.duplicate_rate > 1.0 + 1e-9) {
        return Status::InvalidArgument("malformed rate + duplicate rate must be at most 1");
    }
    if (o.users < 1 || o.users > ClickstreamGenerator::kMaxUsers) {
        return Status::InvalidArgument("users must be in [1, " +
                                       std::to_string(ClickstreamGenerator::kMaxUsers) + "], got " +
                                       std::to_string(o.users));
    }
    if (o.count < 0) return Status::InvalidArgument("count must be >= 0");
    if (o.span_ms < 0) return Status::InvalidArgument("span must be >= 0");
    if (o.start_ms < 0 || o.start_ms > kMaxTimeMs) {
        return Status::InvalidArgument("start must be between 1970 and 9999");
    }
    return Status::Ok();
}

// ---- Generator -------------------------------------------------------------------------------

struct ClickstreamGenerator::Scratch {
    const Tables& tables = GetTables();
    int64_t day = -1;  // the day whose "YYYY-MM-DDT" is in `date`
    char date[11] = {};
};

Result<ClickstreamGenerator> ClickstreamGenerator::Create(const ClickstreamOptions& options) {
    TARN_RETURN_IF_ERROR(ValidateClickstreamOptions(options));
    return ClickstreamGenerator(options);
}

ClickstreamGenerator::ClickstreamGenerator(const ClickstreamOptions& options) : options_(options) {
    SplitMix64 keys(Mix64(options.seed ^ 0x7461726e2d67656eULL));  // "tarn-gen"
    id_key_ = keys.Next();
    event_key_ = keys.Next();
    kind_key_ = keys.Next();
    jitter_key_ = keys.Next();
    user_key_ = keys.Next();
    session_key_ = keys.Next();
    malformed_below_ = static_cast<uint64_t>(options.malformed_rate * 0x1p53);
    duplicate_below_ = static_cast<uint64_t>(options.duplicate_rate * 0x1p53);

    // Zipf over ranks 0..n-1 (p(k) ~ (k+1)^-s) as a Walker/Vose alias table.
    const uint32_t n = options.users;
    std::vector<double> scaled(n);
    double total = 0;
    for (uint32_t k = 0; k < n; ++k) total += scaled[k] = std::pow(k + 1.0, -kZipfExponent);
    for (double& q : scaled) q = q * n / total;
    zipf_.resize(n);
    std::vector<uint32_t> small, large;
    for (uint32_t k = n; k-- > 0;) (scaled[k] < 1.0 ? small : large).push_back(k);
    while (!small.empty() && !large.empty()) {
        const uint32_t s = small.back();
        small.pop_back();
        const uint32_t l = large.back();
        zipf_[s] = {static_cast<uint32_t>(std::min(scaled[s] * 0x1p32, 0x1p32 - 1)), l};
        scaled[l] -= 1.0 - scaled[s];
        if (scaled[l] < 1.0) {
            large.pop_back();
            small.push_back(l);
        }
    }
    for (uint32_t k : small) zipf_[k] = {UINT32_MAX, k};  // rounding leftovers: probability 1
    for (uint32_t k : large) zipf_[k] = {UINT32_MAX, k};

    // Ranks map to ids through a seeded affine permutation, so the busiest user is not always 1.
    uint64_t m = (Mix64(user_key_) % n) | 1;
    while (std::gcd(m, static_cast<uint64_t>(n)) != 1) ++m;
    user_multiplier_ = m;
    user_offset_ = Mix64(user_key_ + 1) % n;
}

uint32_t ClickstreamGenerator::SampleUser(uint64_t random) const {
    const uint64_t n = zipf_.size();
    const uint64_t slot = ((random >> 32) * n) >> 32;
    const uint32_t coin = static_cast<uint32_t>(random);
    const AliasSlot& s = zipf_[slot];
    const uint64_t rank = coin < s.threshold ? slot : s.alias;
    return static_cast<uint32_t>((rank * user_multiplier_ + user_offset_) % n + 1);
}

void ClickstreamGenerator::PrefetchUser(uint64_t index) const {
    SplitMix64 rng(Mix64(index ^ event_key_));  // as WriteEvent draws r0
    const uint64_t slot = ((rng.Next() >> 32) * zipf_.size()) >> 32;
    __builtin_prefetch(&zipf_[slot]);
}

ClickstreamGenerator::LineKind ClickstreamGenerator::BaseKind(uint64_t index) const {
    const uint64_t h = Mix64(index ^ kind_key_) >> 11;  // 53 bits
    if (h < malformed_below_) return LineKind::kMalformed;
    // Line 0 has nothing to repeat: it is an event instead.
    if (h - malformed_below_ < duplicate_below_ && index > 0) return LineKind::kDuplicate;
    return LineKind::kEvent;
}

ClickstreamGenerator::LineKind ClickstreamGenerator::Classify(uint64_t index,
                                                              uint64_t* source) const {
    const LineKind kind = BaseKind(index);
    if (kind != LineKind::kDuplicate) return kind;
    // Repeat an event among the previous kDuplicateWindow lines, starting at a hashed offset and
    // walking back (wrapping around the window). With no event in the window, this line is an
    // event itself.
    const uint64_t window = std::min(index, kDuplicateWindow);
    const uint64_t start = Mix64(index ^ kind_key_ ^ kGolden) % window;
    for (uint64_t step = 0; step < window; ++step) {
        const uint64_t back = 1 + (start + step) % window;
        if (BaseKind(index - back) == LineKind::kEvent) {
            *source = index - back;
            return LineKind::kDuplicate;
        }
    }
    return LineKind::kEvent;
}

ClickstreamGenerator::LineKind ClickstreamGenerator::KindOf(uint64_t index) const {
    uint64_t source;
    return Classify(index, &source);
}

int64_t ClickstreamGenerator::EventTimeMillis(uint64_t index) const {
    Int128 ms = options_.start_ms;
    if (options_.count > 0) ms += Int128(options_.span_ms) * index / options_.count;
    ms += static_cast<int64_t>(Mix64(index ^ jitter_key_) % kMaxJitterMs);
    return ClampTime(ms);
}

char* ClickstreamGenerator::WriteEvent(uint64_t index, int64_t ts, char* p, Scratch* sc) const {
    const Tables& t = sc->tables;
    SplitMix64 rng(Mix64(index ^ event_key_));
    const uint64_t r0 = rng.Next();
    const uint64_t r1 = rng.Next();
    const uint64_t r2 = rng.Next();

    // event_id: all 64 bits of a bijective mix of the index, in the UUID-v4 layout
    // aaaaaaaa-aaaa-4aaa-Vabb-bbbbbbbbbbbb (V is the variant nibble 8..b), the rest from a hash.
    const uint64_t a = Mix64(index + id_key_);
    const uint64_t b = Mix64(a ^ (id_key_ * kGolden));
    const uint64_t hi = (a & 0xffffffffffff0000ULL) | 0x4000 | ((a >> 4) & 0xfff);
    const uint64_t lo =
        ((8 | (b & 3)) << 60) | ((a & 0xf) << 56) | ((b >> 2) & 0x00ffffffffffffffULL);
    p = PutLiteral(p, "{\"event_id\":\"");
    p = PutHex(p, hi >> 32, 8, t);
    *p++ = '-';
    p = PutHex(p, hi >> 16, 4, t);
    *p++ = '-';
    p = PutHex(p, hi, 4, t);
    *p++ = '-';
    p = PutHex(p, lo >> 48, 4, t);
    *p++ = '-';
    p = PutHex(p, lo, 12, t);

    const uint32_t user = SampleUser(r0);
    p = PutLiteral(p, "\",\"user_id\":");
    p = PutUint(p, user);

    // Sessions: 30-minute buckets, shifted per user so they don't all start together.
    const uint64_t user_hash = Mix64(user ^ session_key_);
    const int64_t bucket = (ts + static_cast<int64_t>(user_hash % kSessionMs)) / kSessionMs;
    const uint64_t session = Mix64(user_hash + static_cast<uint64_t>(bucket) * kGolden);
    p = PutLiteral(p, ",\"session_id\":\"");
    p = PutHex(p, session, 16, t);

    const uint8_t type = t.event_type_slots[r1 & 1023];
    p = Put(p, t.type_page[type]);
    const uint64_t page_bits = r1 >> 30;  // 34 bits
    const uint64_t pick = page_bits >> 4;
    auto product = [&] {
        p = PutLiteral(p, "/products/");
        // The product of two uniforms: low ids are popular.
        const uint64_t x = pick % kProducts, y = (pick >> 13) % kProducts;
        p = PutUint(p, 1 + x * y / kProducts);
    };
    auto category = [&] {
        p = PutLiteral(p, "/category/");
        p = Put(p, kCategories[pick % std::size(kCategories)]);
    };
    switch (type) {
        case kView: {
            const uint64_t v = page_bits % 10;
            if (v == 0) {
                *p++ = '/';
            } else if (v <= 2) {
                category();
            } else {
                product();
            }
            break;
        }
        case kClick: {
            const uint64_t v = page_bits % 20;
            if (v < 12) {
                product();
            } else if (v < 17) {
                category();
            } else {
                p = PutLiteral(p, "/deals");
            }
            break;
        }
        case kSearch:
            p = PutLiteral(p, "/search?q=");
            p = Put(p, kSearchTerms[pick % std::size(kSearchTerms)]);
            break;
        case kAddToCart:
            product();
            break;
        case kRemoveFromCart:
            p = PutLiteral(p, "/cart");
            break;
        case kPurchase:
            p = PutLiteral(p, "/checkout");
            break;
        case kSignup:
            p = PutLiteral(p, "/signup");
            break;
        case kLogin:
            p = PutLiteral(p, "/login");
            break;
        default:
            p = PutLiteral(p, "/account");
            break;
    }

    p = Put(p, t.referrer_country[t.referrer_slots[(r1 >> 10) & 1023]]);
    const uint8_t country = t.country_slots[Mix64(user ^ user_key_) & 1023];
    const uint8_t device = t.device_slots[session & 1023];
    p = Put(p, t.country_device[country][device]);

    if (type == kPurchase) {
        const uint64_t quantity = 1 + ((r2 >> 40) % 8 == 0) + ((r2 >> 44) % 4 == 0);
        const uint64_t cents = kPriceCents[(r2 >> 32) % std::size(kPriceCents)] * quantity;
        p = PutLiteral(p, ",\"price\":");
        p = PutUint(p, cents / 100);
        *p++ = '.';
        p = PutPair(p, static_cast<unsigned>(cents % 100), t);
    }

    p = PutLiteral(p, ",\"ts\":\"");
    const int64_t day = ts / kDayMs;
    if (day != sc->day) {
        int64_t year;
        unsigned month, mday;
        CivilFromDays(day, &year, &month, &mday);
        char* d = sc->date;
        d = PutPair(d, static_cast<unsigned>(year / 100), t);
        d = PutPair(d, static_cast<unsigned>(year % 100), t);
        *d++ = '-';
        d = PutPair(d, month, t);
        *d++ = '-';
        d = PutPair(d, mday, t);
        *d = 'T';
        sc->day = day;
    }
    p = Put(p, std::string_view(sc->date, sizeof(sc->date)));
    const auto ms_of_day = static_cast<uint32_t>(ts - day * kDayMs);
    const uint32_t seconds = ms_of_day / 1000;
    p = PutPair(p, seconds / 3600, t);
    *p++ = ':';
    p = PutPair(p, seconds / 60 % 60, t);
    *p++ = ':';
    p = PutPair(p, seconds % 60, t);
    *p++ = '.';
    const uint32_t millis = ms_of_day % 1000;
    *p++ = static_cast<char>('0' + millis / 100);
    p = PutPair(p, millis % 100, t);
    p = PutLiteral(p, "Z\"");

    const uint32_t profiles = t.profiles_per_device[device];
    const uint64_t profile = (session >> 10) % profiles;
    const uint8_t version = t.app_version_slots[(session >> 40) & 1023];
    p = Put(p, t.contexts[device][profile * std::size(kAppVersions) + version]);

    const auto& lists = t.tag_lists[t.tag_count_slots[(r1 >> 20) & 1023]];
    return Put(p, lists[r2 % lists.size()]);
}

char* ClickstreamGenerator::WriteMalformed(uint64_t index, int64_t ts, char* p, Scratch* sc) const {
    const uint64_t h = Mix64(index ^ kind_key_ ^ (kGolden << 1));
    switch (sc->tables.malformed_slots[h & 1023]) {
        case kTruncated: {
            // Cut inside the object: no prefix of a JSON object is a JSON value.
            const char* end = WriteEvent(index, ts, p, sc);
            const uint64_t len = static_cast<uint64_t>(end - p) - 1;  // without '\n'
            const uint64_t cut = len / 4 + (h >> 10) % (len - len / 4 - 1);
            p[cut] = '\n';
            return p + cut + 1;
        }
        case kTrailingComma: {
            char* end = WriteEvent(index, ts, p, sc);
            end[-2] = ',';
            end[-1] = '}';
            *end++ = '\n';
            return end;
        }
        case kSingleQuotes: {
            char* end = WriteEvent(index, ts, p, sc);
            p[1] = '\'';  // {'event_id':...
            p[10] = '\'';
            return end;
        }
        default:
            p = Put(p, kGarbageLines[(h >> 10) % std::size(kGarbageLines)]);
            *p++ = '\n';
            return p;
    }
}

template <typename TimeOf>
char* ClickstreamGenerator::WriteRange(uint64_t first, uint64_t n, const TimeOf& time_of,
                                       char* p) const {
    Scratch scratch;
    constexpr uint64_t kPrefetchAhead = 32;
    for (uint64_t i = first; i < first + std::min(n, kPrefetchAhead); ++i) PrefetchUser(i);
    for (uint64_t i = first; i < first + n; ++i) {
        if (i + kPrefetchAhead < first + n) PrefetchUser(i + kPrefetchAhead);
        uint64_t source = 0;
        switch (Classify(i, &source)) {
            case LineKind::kEvent:
                p = WriteEvent(i, time_of(i), p, &scratch);
                break;
            case LineKind::kDuplicate:
                p = WriteEvent(source, time_of(source), p, &scratch);
                break;
            case LineKind::kMalformed:
                p = WriteMalformed(i, time_of(i), p, &scratch);
                break;
        }
    }
    return p;
}

char* ClickstreamGenerator::WriteEvents(uint64_t first, uint64_t n, char* dest) const {
    return WriteRange(
        first, n, [this](uint64_t i) { return EventTimeMillis(i); }, dest);
}

void ClickstreamGenerator::AppendEvents(uint64_t first, uint64_t n, std::string* out) const {
    constexpr uint64_t kBlock = 1024;  // bounds the scratch room reserved at a time
    while (n > 0) {
        const uint64_t k = std::min(n, kBlock);
        const size_t old = out->size();
        out->resize(old + k * kMaxLineBytes);
        char* end = WriteEvents(first, k, out->data() + old);
        out->resize(static_cast<size_t>(end - out->data()));
        first += k;
        n -= k;
    }
}

// ---- Live production -------------------------------------------------------------------------

LiveClickstream::LiveClickstream(const ClickstreamGenerator* generator, uint64_t first_index)
    : generator_(generator), next_(first_index) {}

int64_t LiveClickstream::TimeOf(uint64_t index) const {
    const size_t kept = std::min(batch_count_, kBatches);
    for (size_t k = 0; k < kept; ++k) {
        const Batch& b = batches_[(batch_count_ - 1 - k) % kBatches];
        if (b.first <= index) return b.ms;
    }
    // Before the first line this cursor produced (a cursor that started at first_index > 0):
    // the oldest time known.
    return batches_[(batch_count_ - kept) % kBatches].ms;
}

char* LiveClickstream::WriteNext(uint64_t n, int64_t now_ms, char* dest) {
    if (n == 0) return dest;
    now_ms = ClampTime(now_ms);
    if (batch_count_ == 0 || batches_[(batch_count_ - 1) % kBatches].ms != now_ms) {
        batches_[batch_count_ % kBatches] = {next_, now_ms};
        ++batch_count_;
    }
    char* end = generator_->WriteRange(
        next_, n, [this](uint64_t i) { return TimeOf(i); }, dest);
    next_ += n;
    return end;
}

void LiveClickstream::AppendNext(uint64_t n, int64_t now_ms, std::string* out) {
    constexpr uint64_t kBlock = 1024;
    while (n > 0) {
        const uint64_t k = std::min(n, kBlock);
        const size_t old = out->size();
        out->resize(old + k * ClickstreamGenerator::kMaxLineBytes);
        char* end = WriteNext(k, now_ms, out->data() + old);
        out->resize(static_cast<size_t>(end - out->data()));
        n -= k;
    }
}

std::shared_ptr<const columnar::Schema> ClickstreamEventSchema() {
    using columnar::DataType;
    using columnar::Field;
    auto screen = DataType::Struct({Field{"w", DataType::Int32()}, Field{"h", DataType::Int32()}});
    auto context = DataType::Struct({Field{"app_version", DataType::Varchar()},
                                     Field{"os", DataType::Varchar()}, Field{"screen", screen}});
    auto schema = columnar::Schema::Make({
        Field{"event_id", DataType::Varchar()},
        Field{"user_id", DataType::Int64()},
        Field{"session_id", DataType::Varchar()},
        Field{"event_type", DataType::Varchar()},
        Field{"page", DataType::Varchar()},
        Field{"referrer", DataType::Varchar()},
        Field{"country", DataType::Varchar()},
        Field{"device", DataType::Varchar()},
        Field{"price", DataType::Decimal(10, 2)},
        Field{"ts", DataType::Timestamp()},
        Field{"context", context},
        Field{"tags", DataType::List(DataType::Varchar())},
    });
    // The fields are fixed and valid: Make cannot fail here.
    return std::make_shared<const columnar::Schema>(std::move(*schema));
}

}  // namespace tarn::cli
