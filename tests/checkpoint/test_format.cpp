// Checkpoint format (docs/testing.md, G7 file readers reject bad files): round
// trips, and a corruption suite in which every truncation, bit flip and
// overwritten length field is rejected with an lg::IOError naming the file,
// never a crash or a silently wrong load.
#include <boost/test/unit_test.hpp>

#include <cstring>

#include <latentgeo.hpp>
#include <nn/checkpoint.hpp>

namespace {

lg::nn::Checkpoint sample_checkpoint() {
  lg::Generator g(3);
  lg::nn::Checkpoint c;
  c.tensors["encoder.0.weight"] = lg::randn({64, 32}, lg::float32, &g);
  c.tensors["encoder.0.bias"] = lg::randn({64}, lg::float64, &g);
  c.tensors["step"] = lg::full({}, 7.0, lg::int64);
  c.tensors["empty"] = lg::zeros({0, 3});
  c.metadata["seed"] = "42";
  c.metadata["generator"] = g.state();
  return c;
}

bool same(const lg::Tensor& a, const lg::Tensor& b) {
  if (a.shape() != b.shape() || a.dtype() != b.dtype()) return false;
  const auto x = a.contiguous(), y = b.contiguous();
  return std::memcmp(x.impl()->storage->data(), y.impl()->storage->data(),
                     static_cast<std::size_t>(x.numel()) * lg::dtype_size(x.dtype())) == 0;
}

bool same(const lg::nn::Checkpoint& a, const lg::nn::Checkpoint& b) {
  if (a.metadata != b.metadata || a.tensors.size() != b.tensors.size()) return false;
  for (const auto& [name, tensor] : a.tensors) {
    auto it = b.tensors.find(name);
    if (it == b.tensors.end() || !same(tensor, it->second)) return false;
  }
  return true;
}

// Decoding must either throw lg::IOError mentioning the name or (never, here) succeed.
bool rejected(const std::vector<std::uint8_t>& bytes) {
  try {
    lg::nn::decode_checkpoint(bytes, "corrupt.ckpt");
  } catch (const lg::IOError& e) {
    return std::string(e.what()).find("corrupt.ckpt") != std::string::npos;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_format)

BOOST_AUTO_TEST_CASE(round_trip_keeps_every_bit_name_dtype_shape_and_metadata) {
  const auto original = sample_checkpoint();
  const auto bytes = lg::nn::encode_checkpoint(original);
  BOOST_TEST(same(original, lg::nn::decode_checkpoint(bytes)));
  // non-contiguous tensors are saved by value
  lg::nn::Checkpoint views;
  views.tensors["t"] = lg::randn({3, 4}).t();
  BOOST_TEST(same(lg::nn::decode_checkpoint(lg::nn::encode_checkpoint(views)).tensors["t"], views.tensors["t"]));
}

// Payloads sit wherever the file puts them: decoding bytes that start at every offset of a word
// must give the same tensors (the sanitizer build catches an element read at a misaligned address).
BOOST_AUTO_TEST_CASE(payloads_at_any_alignment_decode_the_same) {
  const auto original = sample_checkpoint();
  const auto bytes = lg::nn::encode_checkpoint(original);
  for (std::size_t shift = 1; shift < 8; ++shift) {
    std::vector<std::uint8_t> padded(shift + bytes.size());
    std::memcpy(padded.data() + shift, bytes.data(), bytes.size());
    const std::span<const std::uint8_t> moved(padded.data() + shift, bytes.size());
    BOOST_TEST(same(original, lg::nn::decode_checkpoint(moved)), "shifted by " << shift);
  }
}

BOOST_AUTO_TEST_CASE(every_truncation_is_rejected) {
  const auto bytes = lg::nn::encode_checkpoint(sample_checkpoint());
  std::vector<std::size_t> lengths = {0, 1, 7, 8, 11, 12, 19, 20, 21, bytes.size() - 1};
  for (std::size_t i = 0; i < 64; ++i) lengths.push_back(bytes.size() * i / 64);
  for (std::size_t length : lengths) {
    std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
    BOOST_TEST(rejected(cut), "truncated to " << length);
  }
  auto longer = bytes;
  longer.push_back(0);
  BOOST_TEST(rejected(longer), "one trailing byte");
}

BOOST_AUTO_TEST_CASE(a_thousand_single_bit_flips_are_all_rejected) {
  const auto bytes = lg::nn::encode_checkpoint(sample_checkpoint());
  lg::Generator g(17);
  int caught = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    auto flipped = bytes;
    const auto position = g.next_below(flipped.size());
    flipped[position] ^= static_cast<std::uint8_t>(1u << g.next_below(8));
    caught += rejected(flipped);
  }
  BOOST_TEST(caught == 1000);
}

BOOST_AUTO_TEST_CASE(overwritten_length_and_count_fields_are_rejected) {
  const auto bytes = lg::nn::encode_checkpoint(sample_checkpoint());
  lg::Generator g(23);
  int caught = 0;
  for (int trial = 0; trial < 100; ++trial) {
    auto damaged = bytes;
    // the header region holds every length, count and dim field
    const std::size_t header_end = 20 + 400;
    const auto position = 8 + g.next_below(std::min(header_end, damaged.size()) - 12);
    const auto value = static_cast<std::uint32_t>(g.next_u64());
    std::memcpy(damaged.data() + position, &value, 4);
    caught += (damaged == bytes) || rejected(damaged);
  }
  BOOST_TEST(caught == 100);
}

BOOST_AUTO_TEST_CASE(files_round_trip_and_missing_files_are_named) {
  const std::string path = "test_format_roundtrip.ckpt";
  const auto original = sample_checkpoint();
  lg::nn::save_checkpoint(original, path);
  BOOST_TEST(same(original, lg::nn::load_checkpoint(path)));
  std::remove(path.c_str());
  try {
    lg::nn::load_checkpoint("no/such/file.ckpt");
    BOOST_ERROR("no exception");
  } catch (const lg::IOError& e) {
    BOOST_TEST(std::string(e.what()).find("no/such/file.ckpt") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
