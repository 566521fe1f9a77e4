// docs/testing.md, G12 atomic saves: an interrupted save never destroys the
// previous checkpoint.
//  - kill -9 a process that keeps saving, at a random moment, 50 times: the file
//    always loads and equals one of the two states it alternates between;
//  - injected failures (a write failing after k bytes, fsync, rename) throw,
//    leave the old file's bytes unchanged and no temporary file behind;
//  - strace shows fsync(temp) before rename and fsync(folder) after it.
// Plus all-or-nothing loading into a module (G7, file readers reject bad files).
#include <boost/test/unit_test.hpp>

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include <latentgeo.hpp>
#include <nn/atomic_file.hpp>
#include <nn/checkpoint.hpp>
#include <nn/linear.hpp>

namespace {

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

int temporary_files_in(const std::string& folder, const std::string& stem) {
  int count = 0;
  DIR* dir = opendir(folder.c_str());
  while (dirent* entry = readdir(dir))
    if (std::string(entry->d_name).rfind(stem + ".tmp.", 0) == 0) ++count;
  closedir(dir);
  return count;
}

lg::nn::Checkpoint state(double value, std::int64_t floats) {
  lg::nn::Checkpoint c;
  c.tensors["weights"] = lg::full({floats}, value);
  c.metadata["which"] = std::to_string(value);
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(atomic_save)

BOOST_AUTO_TEST_CASE(kill_9_during_saves_never_leaves_a_broken_file) {
  const bool sanitized = std::getenv("LATENTGEO_SANITIZED") != nullptr;
  const std::int64_t floats = sanitized ? (1 << 20) : (8 << 20);  // 4 MB under ASan, 32 MB otherwise
  const int trials = sanitized ? 10 : 50;
  const std::string path = "kill_test.ckpt";
  // Encode both states before forking: the child only writes bytes (no OpenMP
  // in a forked child).
  const auto a = lg::nn::encode_checkpoint(state(1.0, floats));
  const auto b = lg::nn::encode_checkpoint(state(2.0, floats));
  lg::nn::write_file_atomically(path, a);
  lg::Generator g(99);
  int intact = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const pid_t child = fork();
    BOOST_REQUIRE(child >= 0);
    if (child == 0) {
      for (int i = 0;; ++i) lg::nn::write_file_atomically(path, i % 2 ? a : b);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(g.next_below(300)));
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    const auto bytes = read_bytes(path);
    try {
      const auto loaded = lg::nn::decode_checkpoint(bytes, path);
      intact += (bytes == a || bytes == b) && loaded.tensors.count("weights") == 1;
    } catch (const lg::Error& e) {
      BOOST_ERROR("trial " << trial << ": " << e.what());
    }
    // a killed writer leaves its temporary file; the next save from that pid would replace it
    DIR* dir = opendir(".");
    while (dirent* entry = readdir(dir))
      if (std::string(entry->d_name).rfind(path + ".tmp.", 0) == 0) std::remove(entry->d_name);
    closedir(dir);
  }
  BOOST_TEST_MESSAGE("kill -9 trials intact: " << intact << "/" << trials);
  BOOST_TEST(intact == trials);
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(injected_failures_keep_the_old_file_and_leave_no_temporary) {
  const std::string path = "fault_test.ckpt";
  const auto old_bytes = lg::nn::encode_checkpoint(state(1.0, 1000));
  const auto new_bytes = lg::nn::encode_checkpoint(state(2.0, 1000));
  lg::nn::write_file_atomically(path, old_bytes);
  auto& faults = lg::nn::detail::file_faults();
  int passed = 0, scenarios = 0;
  auto scenario = [&](auto&& inject) {
    ++scenarios;
    faults = {};
    inject();
    bool threw = false;
    try {
      lg::nn::write_file_atomically(path, new_bytes);
    } catch (const lg::IOError& e) {
      threw = std::string(e.what()).find(path) != std::string::npos;
    }
    faults = {};
    passed += threw && read_bytes(path) == old_bytes && temporary_files_in(".", path) == 0;
  };
  for (int k = 0; k < 20; ++k)
    scenario([&] { faults.fail_write_after_bytes = static_cast<std::int64_t>(new_bytes.size() * k / 20); });
  scenario([&] { faults.fail_fsync = true; });
  scenario([&] { faults.fail_rename = true; });
  BOOST_TEST(passed == scenarios);
  BOOST_TEST(scenarios == 22);
  BOOST_CHECK_THROW(lg::nn::write_file_atomically("no/such/folder/x.ckpt", new_bytes), lg::IOError);
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(strace_shows_fsync_before_rename_and_folder_fsync_after) {
  if (std::system("command -v strace > /dev/null 2>&1") != 0 || std::getenv("LATENTGEO_SANITIZED")) {
    BOOST_TEST_MESSAGE("SKIPPED: strace not available (or sanitized build)");
    return;
  }
  const std::string path = "strace_test.ckpt";
  const auto bytes = lg::nn::encode_checkpoint(state(3.0, 100));
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child == 0) {
    // wait until the parent's strace has attached, then save once
    raise(SIGSTOP);
    lg::nn::write_file_atomically(path, bytes);
    _exit(0);
  }
  waitpid(child, nullptr, WUNTRACED);
  const std::string trace = "strace_test.trace";
  const std::string command = "strace -f -o " + trace + " -e trace=openat,write,fsync,fdatasync,rename,renameat," +
                              "renameat2 -p " + std::to_string(child) + " & sleep 0.5; kill -CONT " +
                              std::to_string(child) + "; wait";
  BOOST_REQUIRE(std::system(command.c_str()) == 0);
  waitpid(child, nullptr, 0);
  std::ifstream in(trace);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  int fsync_temp = -1, rename_at = -1, fsync_folder = -1;
  for (int i = 0; i < static_cast<int>(lines.size()); ++i) {
    const std::string& line = lines[i];
    if (line.find("fsync(") != std::string::npos) (rename_at < 0 ? fsync_temp : fsync_folder) = i;
    if (line.find("rename") != std::string::npos && line.find(".tmp.") != std::string::npos) rename_at = i;
  }
  BOOST_TEST(fsync_temp >= 0);
  BOOST_TEST(rename_at > fsync_temp);
  BOOST_TEST(fsync_folder > rename_at);
  std::remove(trace.c_str());
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(a_failing_load_leaves_the_module_unchanged) {
  lg::nn::Linear layer(4, 3);
  const std::string path = "module_test.ckpt";
  lg::save(layer, path);
  lg::nn::Linear other(4, 3);
  lg::load(other, path);
  BOOST_TEST(other.state_dict().at("weight").to_vector<double>() == layer.state_dict().at("weight").to_vector<double>(),
             boost::test_tools::per_element());

  lg::nn::Linear wrong(5, 3);  // weight [3, 5]: shape mismatch
  const auto before = wrong.state_dict();
  BOOST_CHECK_THROW(lg::load(wrong, path), lg::Error);
  const auto after = wrong.state_dict();
  for (const auto& [name, tensor] : before)
    BOOST_TEST(tensor.to_vector<double>() == after.at(name).to_vector<double>(), boost::test_tools::per_element());

  auto corrupt = read_bytes(path);
  corrupt[corrupt.size() / 2] ^= 1;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(corrupt.data()),
                                              static_cast<std::streamsize>(corrupt.size()));
  const auto kept = other.state_dict();
  BOOST_CHECK_THROW(lg::load(other, path), lg::IOError);
  BOOST_TEST(other.state_dict().at("bias").to_vector<double>() == kept.at("bias").to_vector<double>(),
             boost::test_tools::per_element());
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_SUITE_END()
