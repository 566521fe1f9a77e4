// The IDX reader on small generated files: correct loads (raw, gzip, file and
// memory), and one case per rejected condition, checking that the message
// names the path, the field, and what was expected and found.
#include <boost/test/unit_test.hpp>

#include <latentgeo.hpp>

#include "error_match.hpp"
#include "idx_fixtures.hpp"

using test_data::Bytes;
using test_data::check_throws_with;

namespace {

void set_u32(Bytes& bytes, std::size_t offset, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[offset + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}

// Rejected from a raw file, a gzip file and from memory, each naming its path.
void check_rejected(const Bytes& bytes, bool images, const std::vector<std::string>& fragments) {
  test_data::ScratchFolder folder;
  for (const bool compressed : {false, true}) {
    const Bytes contents = compressed ? test_data::gzip(bytes) : bytes;
    const std::string path = folder.write(compressed ? "file.gz" : "file", contents);
    std::vector<std::string> with_path = fragments;
    with_path.push_back(path + ": ");
    check_throws_with<lg::IOError>(
        [&] { images ? lg::data::read_idx_images(path) : lg::data::read_idx_labels(path); }, with_path);
    with_path.back() = "buffer-name: ";
    check_throws_with<lg::IOError>(
        [&] {
          images ? lg::data::parse_idx_images(contents, "buffer-name") : lg::data::parse_idx_labels(contents, "buffer-name");
        },
        with_path);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(idx_reader)

BOOST_AUTO_TEST_CASE(images_load_as_float_in_unit_range) {
  const Bytes bytes = test_data::make_images(3, 4, 5);
  test_data::ScratchFolder folder;
  for (const Bytes& contents : {bytes, test_data::gzip(bytes)}) {
    const std::string path = folder.write("images", contents);
    for (const lg::Tensor& images : {lg::data::read_idx_images(path), lg::data::parse_idx_images(contents)}) {
      BOOST_TEST(images.shape() == (lg::Shape{3, 1, 4, 5}), boost::test_tools::per_element());
      BOOST_TEST(images.dtype() == lg::float32);
      const auto values = images.to_vector<float>();
      for (std::size_t i = 0; i < values.size(); ++i)
        BOOST_TEST(values[i] == static_cast<float>(bytes[16 + i]) / 255.0f);
    }
  }
}

BOOST_AUTO_TEST_CASE(labels_load_as_int64) {
  const Bytes bytes = test_data::make_labels(25, 3);
  test_data::ScratchFolder folder;
  for (const Bytes& contents : {bytes, test_data::gzip(bytes)}) {
    const std::string path = folder.write("labels", contents);
    const lg::Tensor labels = lg::data::read_idx_labels(path);
    BOOST_TEST(labels.shape() == (lg::Shape{25}), boost::test_tools::per_element());
    BOOST_TEST(labels.dtype() == lg::int64);
    const auto values = labels.to_vector<std::int64_t>();
    for (std::size_t i = 0; i < values.size(); ++i) BOOST_TEST(values[i] == bytes[8 + i]);
    BOOST_TEST(lg::data::parse_idx_labels(contents).to_vector<std::int64_t>() == values,
               boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(gzip_is_detected_by_magic_not_by_name) {
  test_data::ScratchFolder folder;
  const Bytes bytes = test_data::make_labels(9);
  const std::string raw_named_gz = folder.write("labels.gz", bytes);
  const std::string gz_named_raw = folder.write("labels-idx1-ubyte", test_data::gzip(bytes));
  BOOST_TEST(lg::data::read_idx_labels(raw_named_gz).numel() == 9);
  BOOST_TEST(lg::data::read_idx_labels(gz_named_raw).numel() == 9);
}

BOOST_AUTO_TEST_CASE(concatenated_gzip_members_read_as_one_stream) {
  const Bytes bytes = test_data::make_images(2, 3, 3);
  Bytes first(bytes.begin(), bytes.begin() + 20), second(bytes.begin() + 20, bytes.end());
  Bytes joined = test_data::gzip(first);
  const Bytes tail = test_data::gzip(second);
  joined.insert(joined.end(), tail.begin(), tail.end());
  test_data::ScratchFolder folder;
  const std::string path = folder.write("joined.gz", joined);
  BOOST_TEST(lg::data::read_idx_images(path).to_vector<float>() == lg::data::parse_idx_images(bytes).to_vector<float>(),
             boost::test_tools::per_element());
  BOOST_TEST(lg::data::parse_idx_images(joined).numel() == 18);
}

BOOST_AUTO_TEST_CASE(bad_magic) {
  Bytes bytes = test_data::make_labels(4);
  bytes[1] = 0x01;
  check_rejected(bytes, false, {"magic", "expected the bytes 00 00", "found 00 01"});
}

BOOST_AUTO_TEST_CASE(dtype_code_other_than_unsigned_byte) {
  Bytes bytes = test_data::make_images(2, 2, 2);
  bytes[2] = 0x0D;
  check_rejected(bytes, true, {"dtype code", "expected 0x08", "found 0x0d (float32)"});
}

BOOST_AUTO_TEST_CASE(wrong_rank) {
  check_rejected(test_data::make_labels(4), true, {"rank", "expected 3", "found 1"});
  check_rejected(test_data::make_images(1, 2, 2), false, {"rank", "expected 1", "found 3"});
}

BOOST_AUTO_TEST_CASE(zero_dimension) {
  Bytes bytes = test_data::make_images(2, 3, 3);
  set_u32(bytes, 8, 0);
  check_rejected(bytes, true, {"dimension 1 (rows)", "expected at least 1", "found 0"});
}

BOOST_AUTO_TEST_CASE(dimension_product_above_the_cap) {
  Bytes bytes = test_data::make_images(1, 2, 2);
  set_u32(bytes, 4, 65536);
  set_u32(bytes, 8, 256);
  set_u32(bytes, 12, 256);
  check_rejected(bytes, true, {"dimension product", "expected at most 2147483648", "found 65536 x 256 x 256"});
  set_u32(bytes, 4, 0xFFFFFFFF);
  set_u32(bytes, 8, 0xFFFFFFFF);
  set_u32(bytes, 12, 0xFFFFFFFF);
  check_rejected(bytes, true, {"dimension product", "found 4294967295 x 4294967295 x 4294967295"});
}

BOOST_AUTO_TEST_CASE(dimensions_the_file_cannot_hold_are_rejected_before_allocating) {
  Bytes bytes = test_data::make_images(2, 28, 28);
  set_u32(bytes, 4, 1000000);  // 784 MB claimed, under the cap
  const auto before = lg::allocator_stats();
  check_throws_with<lg::IOError>([&] { lg::data::parse_idx_images(bytes, "raw"); },
                                 {"raw: payload", "expected 784000000 bytes", "found 1568", "short payload"});
  check_throws_with<lg::IOError>([&] { lg::data::parse_idx_images(test_data::gzip(bytes), "gz"); },
                                 {"gz: dimension product", "gzip data can hold", "1000000 x 28 x 28 = 784000000 bytes"});
  BOOST_TEST(lg::allocator_stats().allocated_bytes == before.allocated_bytes);
}

BOOST_AUTO_TEST_CASE(short_header) {
  const Bytes bytes = test_data::make_images(2, 2, 2);
  check_rejected(Bytes(bytes.begin(), bytes.begin() + 2), true, {"header", "expected at least 4 bytes", "found 2"});
  check_rejected(Bytes(bytes.begin(), bytes.begin() + 10), true, {"header", "expected 16 bytes", "found 10"});
  check_rejected(Bytes{}, false, {"header", "found 0 bytes"});
}

BOOST_AUTO_TEST_CASE(short_payload) {
  const Bytes bytes = test_data::make_labels(10);
  check_rejected(Bytes(bytes.begin(), bytes.end() - 3), false,
                 {"payload", "expected 10 bytes after the 8-byte header", "found 7", "short payload"});
}

BOOST_AUTO_TEST_CASE(trailing_bytes) {
  Bytes bytes = test_data::make_labels(10);
  bytes.push_back(1);
  bytes.push_back(2);
  check_rejected(bytes, false, {"trailing bytes", "expected the data to end after 18 bytes", "found 2 more"});
}

BOOST_AUTO_TEST_CASE(label_outside_zero_to_nine) {
  Bytes bytes = test_data::make_labels(10);
  bytes[8 + 6] = 10;
  check_rejected(bytes, false, {"label at index 6", "expected a class in [0, 9]", "found 10"});
}

BOOST_AUTO_TEST_CASE(truncated_gzip_is_a_zlib_error_not_an_end_of_file) {
  const Bytes compressed = test_data::gzip(test_data::make_images(4, 8, 8));
  test_data::ScratchFolder folder;
  // Cut inside the deflate data, then inside the 8-byte trailer (all data present).
  for (const std::size_t cut : {compressed.size() / 2, compressed.size() - 4}) {
    const Bytes truncated(compressed.begin(), compressed.begin() + static_cast<std::ptrdiff_t>(cut));
    const std::string path = folder.write("cut.gz", truncated);
    check_throws_with<lg::IOError>([&] { lg::data::read_idx_images(path); }, {path + ": gzip stream", "found zlib error"});
    check_throws_with<lg::IOError>([&] { lg::data::parse_idx_images(truncated, "mem"); }, {"mem: gzip stream"});
  }
}

BOOST_AUTO_TEST_CASE(corrupt_gzip_checksum_is_rejected) {
  Bytes compressed = test_data::gzip(test_data::make_labels(50));
  compressed[compressed.size() - 6] ^= 0x01;  // inside the CRC-32
  test_data::ScratchFolder folder;
  const std::string path = folder.write("crc.gz", compressed);
  check_throws_with<lg::IOError>([&] { lg::data::read_idx_labels(path); }, {path + ": gzip stream", "zlib error"});
  check_throws_with<lg::IOError>([&] { lg::data::parse_idx_labels(compressed, "mem"); }, {"mem: gzip stream"});
}

BOOST_AUTO_TEST_CASE(missing_file_and_directory) {
  test_data::ScratchFolder folder;
  check_throws_with<lg::IOError>([&] { lg::data::read_idx_labels(folder.path() + "/absent"); },
                                 {folder.path() + "/absent: open", "No such file"});
  check_throws_with<lg::IOError>([&] { lg::data::read_idx_labels(folder.path()); },
                                 {folder.path() + ": open", "found a directory"});
}

BOOST_AUTO_TEST_CASE(image_and_label_count_mismatch) {
  const lg::Tensor images = lg::data::parse_idx_images(test_data::make_images(5, 2, 2));
  const lg::Tensor labels = lg::data::parse_idx_labels(test_data::make_labels(4));
  check_throws_with<lg::IOError>([&] { lg::data::check_idx_counts(images, "a/images", labels, "a/labels"); },
                                 {"a/labels: count", "expected 5 labels", "a/images", "found 4"});
  BOOST_CHECK_NO_THROW(lg::data::check_idx_counts(images, "i", lg::data::parse_idx_labels(test_data::make_labels(5)), "l"));
}

BOOST_AUTO_TEST_SUITE_END()
