// Speaker embeddings cached on disk as .npy, so a voice used again costs nothing.
#include <ATen/ATen.h>

#include <cstdlib>
#include <filesystem>

#include "voxclone/clone.h"
#include "voxclone/log.h"
#include "voxclone/npy.h"

namespace voxclone {
namespace fs = std::filesystem;

EmbeddingCache::EmbeddingCache(std::string dir) : dir_(std::move(dir)) {}

std::string EmbeddingCache::default_dir() {
  if (const char* env = std::getenv("VOXCLONE_CACHE_DIR"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return (fs::path(xdg) / "voxclone").string();
  if (const char* home = std::getenv("HOME"); home && *home)
    return (fs::path(home) / ".cache" / "voxclone").string();
  return "";
}

namespace {
fs::path entry_path(const std::string& dir, const std::string& key) {
  return fs::path(dir) / "embeddings" / key.substr(0, 2) / (key + ".npy");
}
}  // namespace

at::Tensor EmbeddingCache::get(const std::string& key) const {
  if (!enabled()) return {};
  fs::path p = entry_path(dir_, key);
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return {};
  try {
    at::Tensor t = read_npy(p.string());
    if (t.dim() == 1 && at::isFloatingType(t.scalar_type()) && at::isfinite(t).all().item<bool>())
      return t.to(at::kFloat);
    spdlog::warn("embedding cache: {} is not an embedding; recomputing", p.string());
  } catch (const std::exception& e) {
    spdlog::warn("embedding cache: {} unreadable ({}); recomputing", p.string(), e.what());
  }
  return {};
}

void EmbeddingCache::put(const std::string& key, const at::Tensor& embedding) const {
  if (!enabled()) return;
  fs::path p = entry_path(dir_, key);
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  try {
    write_npy(p.string(), embedding.to(at::kFloat).contiguous());  // atomic
  } catch (const std::exception& e) {
    spdlog::warn("embedding cache: cannot write {} ({}); continuing without it", p.string(), e.what());
  }
}

}  // namespace voxclone
