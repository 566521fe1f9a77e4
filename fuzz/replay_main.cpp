// A main for a harness built without libFuzzer (g++): feeds every file named
// on the command line, or found below a named folder, to
// LLVMFuzzerTestOneInput once, so the corpus and every regression input run as
// a plain ctest case. A crash or abort fails the test; exit code 1 when a path
// cannot be read or no input was found.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path path = argv[i];
    std::error_code error;
    if (fs::is_directory(path, error)) {
      for (const auto& entry : fs::recursive_directory_iterator(path))
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') inputs.push_back(entry.path());
    } else if (fs::is_regular_file(path, error)) {
      inputs.push_back(path);
    } else {
      std::cerr << "replay: " << path.string() << ": no such file or folder\n";
      return 1;
    }
  }
  std::sort(inputs.begin(), inputs.end());
  for (const fs::path& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) {
      std::cerr << "replay: " << path.string() << ": cannot read\n";
      return 1;
    }
    const std::vector<std::uint8_t> bytes(chars.begin(), chars.end());
    // A non-null pointer even for an empty input, as libFuzzer passes.
    static const std::uint8_t empty_input = 0;
    LLVMFuzzerTestOneInput(bytes.empty() ? &empty_input : bytes.data(), bytes.size());
  }
  std::cout << "replayed " << inputs.size() << " inputs\n";
  return inputs.empty() ? 1 : 0;
}
