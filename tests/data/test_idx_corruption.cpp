// The corruption suite of docs/testing.md, G7 (file readers reject bad files),
// on small generated IDX files, raw and gzip: truncations, single-bit flips and
// 4-byte overwrites of the dimensions. Each corrupted file must be rejected
// with lg::IOError, or (for flips in the payload, which IDX has no checksum
// for) load with the right shape and exactly the flipped value. No other
// exception, no crash, no silent change.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include <random>
#include <set>

#include "idx_fixtures.hpp"

using test_data::Bytes;

namespace {

struct Fixture {
  std::string name;
  bool images;
  bool compressed;
  Bytes plain;  // the IDX bytes
  Bytes file;   // what is on disk: plain, or its gzip
  std::size_t header_bytes;
};

std::vector<Fixture> fixtures() {
  std::vector<Fixture> all;
  for (const bool compressed : {false, true}) {
    const Bytes images = test_data::make_images(20, 28, 28, 5);
    const Bytes labels = test_data::make_labels(1000, 2);
    all.push_back({compressed ? "images.gz" : "images", true, compressed, images,
                   compressed ? test_data::gzip(images) : images, 16});
    all.push_back({compressed ? "labels.gz" : "labels", false, compressed, labels,
                   compressed ? test_data::gzip(labels) : labels, 8});
  }
  return all;
}

lg::Tensor parse(const Fixture& fixture, const Bytes& bytes) {
  return fixture.images ? lg::data::parse_idx_images(bytes, fixture.name)
                        : lg::data::parse_idx_labels(bytes, fixture.name);
}

lg::Tensor read(const Fixture& fixture, const std::string& path) {
  return fixture.images ? lg::data::read_idx_images(path) : lg::data::read_idx_labels(path);
}

// Parses `bytes`; true when rejected with IOError (any other exception fails the test).
bool rejected(const Fixture& fixture, const Bytes& bytes, lg::Tensor* loaded = nullptr) {
  try {
    lg::Tensor tensor = parse(fixture, bytes);
    if (loaded) *loaded = tensor;
    return false;
  } catch (const lg::IOError&) {
    return true;
  }
}

std::vector<std::size_t> truncation_lengths(std::size_t size, std::size_t header) {
  std::set<std::size_t> lengths = {0, 1, header - 1, header + 1, size - 1};
  for (std::size_t i = 0; i < 64; ++i) lengths.insert(i * (size - 1) / 63);
  lengths.erase(size);
  return {lengths.begin(), lengths.end()};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(idx_corruption)

BOOST_AUTO_TEST_CASE(every_truncation_is_rejected) {
  test_data::ScratchFolder folder;
  for (const Fixture& fixture : fixtures()) {
    const auto lengths = truncation_lengths(fixture.file.size(), fixture.header_bytes);
    BOOST_TEST(lengths.size() >= 64u, fixture.name << ": " << fixture.file.size() << " bytes");
    for (const std::size_t length : lengths) {
      const Bytes cut(fixture.file.begin(), fixture.file.begin() + static_cast<std::ptrdiff_t>(length));
      BOOST_TEST(rejected(fixture, cut), fixture.name << " truncated to " << length << " bytes was not rejected");
      const std::string path = folder.write(fixture.name, cut);
      BOOST_CHECK_THROW(read(fixture, path), lg::IOError);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_header_bit_flip_is_rejected) {
  test_data::ScratchFolder folder;
  for (const Fixture& fixture : fixtures()) {
    for (std::size_t bit = 0; bit < 8 * fixture.header_bytes; ++bit) {
      Bytes plain = fixture.plain;
      plain[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
      const Bytes file = fixture.compressed ? test_data::gzip(plain) : plain;
      BOOST_TEST(rejected(fixture, file), fixture.name << " with header bit " << bit << " flipped was not rejected");
      const std::string path = folder.write(fixture.name, file);
      BOOST_CHECK_THROW(read(fixture, path), lg::IOError);
    }
  }
}

BOOST_AUTO_TEST_CASE(seeded_bit_flips_are_rejected_or_load_exactly_what_the_bytes_say) {
  std::mt19937_64 random(7);
  for (const Fixture& fixture : fixtures()) {
    const lg::Tensor original = parse(fixture, fixture.file);
    int rejected_count = 0;
    for (int trial = 0; trial < 1000; ++trial) {
      Bytes file = fixture.file;
      const std::size_t bit = random() % (8 * file.size());
      file[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
      lg::Tensor loaded;
      if (rejected(fixture, file, &loaded)) {
        ++rejected_count;
        continue;
      }
      BOOST_TEST_REQUIRE(loaded.shape() == original.shape(), boost::test_tools::per_element());
      if (fixture.compressed) {
        // The CRC-32 and length cover the data; what they miss is the gzip header's
        // FLG, MTIME, XFL and OS bytes (3 to 9) and the padding bits of the last
        // deflate byte, and flipping those leaves the data as it was.
        const std::size_t byte = bit / 8;
        BOOST_TEST(((byte >= 3 && byte <= 9) || byte == file.size() - 9), "accepted flip in byte " << byte);
        BOOST_TEST(loaded.to_vector<double>() == original.to_vector<double>(), boost::test_tools::per_element());
        continue;
      }
      BOOST_TEST_REQUIRE(bit / 8 >= fixture.header_bytes, fixture.name << ": header flip at bit " << bit << " loaded");
      // An unchecked payload flip: that one value changes, to exactly the flipped byte.
      const auto index = static_cast<std::size_t>(bit / 8 - fixture.header_bytes);
      const std::vector<double> got = loaded.to_vector<double>(), want = original.to_vector<double>();
      const double flipped = fixture.images ? static_cast<float>(file[bit / 8]) / 255.0f : file[bit / 8];
      BOOST_TEST(got[index] == flipped);
      int changed = 0;
      for (std::size_t i = 0; i < got.size(); ++i) changed += got[i] != want[i];
      BOOST_TEST(changed == 1);
    }
    BOOST_TEST_MESSAGE(fixture.name << ": " << rejected_count << " of 1000 seeded bit flips rejected, the rest "
                                    << (fixture.compressed ? "loaded unchanged" : "loaded with one changed value"));
  }
}

BOOST_AUTO_TEST_CASE(overwritten_dimensions_are_rejected) {
  std::mt19937_64 random(11);
  for (const Fixture& fixture : fixtures()) {
    const std::size_t rank = (fixture.header_bytes - 4) / 4;
    for (std::size_t dim = 0; dim < rank; ++dim) {
      const std::size_t offset = 4 + 4 * dim;
      const std::uint32_t original = (std::uint32_t{fixture.plain[offset]} << 24) |
                                     (std::uint32_t{fixture.plain[offset + 1]} << 16) |
                                     (std::uint32_t{fixture.plain[offset + 2]} << 8) | fixture.plain[offset + 3];
      std::vector<std::uint32_t> values = {0, 1, original - 1, original + 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
      while (values.size() < 107) values.push_back(static_cast<std::uint32_t>(random()));
      for (const std::uint32_t value : values) {
        if (value == original) continue;
        Bytes plain = fixture.plain;
        for (int i = 0; i < 4; ++i) plain[offset + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
        const Bytes file = fixture.compressed ? test_data::gzip(plain) : plain;
        BOOST_TEST(rejected(fixture, file), fixture.name << ": dimension " << dim << " = " << value << " not rejected");
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
