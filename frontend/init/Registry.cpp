//===- Registry.cpp - create() from a dumps() string or a name ------------===//

#include "Detail.h"

#include "runtime/Error.h"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace mxjit::init {

namespace {

std::mutex registryMutex;

// Built on first use from each family's list, so the registry does not rely
// on static constructors in a static library (which the linker may drop).
detail::FactoryMap &registry() {
  static detail::FactoryMap map = [] {
    detail::FactoryMap m;
    detail::addBasicFactories(m);
    detail::addXavierFactories(m);
    detail::addOrthogonalFactories(m);
    detail::addBilinearFactories(m);
    detail::addRnnFactories(m);
    detail::addMixedFactories(m);
    return m;
  }();
  return map;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

Factory lookup(const std::string &name) {
  std::lock_guard<std::mutex> lock(registryMutex);
  auto &map = registry();
  auto it = map.find(lower(name));
  if (it == map.end()) {
    std::string known;
    for (const auto &entry : map)
      known += (known.empty() ? "" : ", ") + entry.first;
    throw Error(name +
                " is not registered. Please register with "
                "initializer.register first (registered: " +
                known + ")");
  }
  return it->second;
}

} // namespace

InitializerPtr create(const std::string &dumps_or_name) {
  size_t first = dumps_or_name.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || dumps_or_name[first] != '[')
    return lookup(dumps_or_name)({});
  json::Value v = json::parse(dumps_or_name);
  if (v.items.size() != 2 || v.items[0].kind != json::Value::Kind::String ||
      v.items[1].kind != json::Value::Kind::Object)
    throw Error("malformed initializer JSON: expected [name, {kwargs}], got " +
                dumps_or_name);
  detail::KwargTexts kwargs;
  for (const auto &[key, value] : v.items[1].fields)
    kwargs.emplace_back(key, json::write(value));
  return lookup(v.items[0].string)(kwargs);
}

void register_initializer(const std::string &name, Factory factory) {
  if (name.empty() || !factory)
    throw Error("register_initializer: needs a name and a factory");
  std::lock_guard<std::mutex> lock(registryMutex);
  registry()[lower(name)] = std::move(factory);
}

} // namespace mxjit::init
