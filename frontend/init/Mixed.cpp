//===- Mixed.cpp - Mixed (by name pattern) and Load (from saved values) ---===//
//
// Neither is an Initializer in MXNet (they have no dumps()); here they are,
// so they can stand wherever an initializer is expected. Their dumps() is an
// mxjit extension: ["mixed", {"patterns": [...], "initializers": [dumps,
// ...]}] and ["load", {"param": path, "default_init": dumps, "verbose": b}].
//
//===----------------------------------------------------------------------===//

#include "Detail.h"

#include "runtime/Error.h"

#include <iostream>
#include <regex>

namespace mxjit::init {

using detail::text;

struct Mixed::Rule {
  std::string pattern;
  std::regex regex;
  InitializerPtr init;
};

Mixed::Mixed(std::vector<std::string> patterns,
             std::vector<InitializerPtr> initializers)
    : Initializer("mixed") {
  if (patterns.size() != initializers.size())
    throw Error("mixed: " + std::to_string(patterns.size()) + " patterns but " +
                std::to_string(initializers.size()) + " initializers");
  std::string pats = "[", inits = "[";
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (!initializers[i])
      throw Error("mixed: initializer " + std::to_string(i) + " (for '" +
                  patterns[i] + "') is null");
    auto rule = std::make_shared<Rule>();
    rule->pattern = patterns[i];
    try {
      rule->regex = std::regex(patterns[i]);
    } catch (const std::regex_error &e) {
      throw Error("mixed: invalid pattern '" + patterns[i] + "': " + e.what());
    }
    rule->init = initializers[i];
    rules_.push_back(rule);
    pats += (i ? ", " : "") + text(patterns[i]);
    // Initializers that cannot be written (Load from a map) make the whole
    // Mixed unwritable; that is reported by dumps().
    std::string d;
    try {
      d = initializers[i]->dumps();
    } catch (const Error &) {
      d.clear();
    }
    inits += (i ? ", " : "") + (d.empty() ? "null" : text(d));
  }
  kwargs_ = {{"patterns", pats + "]"}, {"initializers", inits + "]"}};
}

namespace {
template <typename Rules>
const InitializerPtr &match(const Rules &rules, const std::string &name) {
  for (const auto &rule : rules)
    // Python's re.match: anchored at the start, not at the end.
    if (std::regex_search(name, rule->regex,
                          std::regex_constants::match_continuous))
      return rule->init;
  throw Error("Parameter name " + name +
              " did not match any pattern. Consider add a \".*\" pattern at "
              "the end with default Initializer.");
}
} // namespace

void Mixed::operator()(const InitDesc &desc, nd::NDArray &arr) const {
  (*match(rules_, desc.name))(desc, arr);
}

void Mixed::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  match(rules_, desc.name)->init_weight(desc, arr);
}

namespace {
std::map<std::string, nd::NDArray>
stripPrefixes(const std::map<std::string, nd::NDArray> &param) {
  std::map<std::string, nd::NDArray> out;
  for (const auto &[name, arr] : param) {
    bool prefixed =
        name.compare(0, 4, "arg:") == 0 || name.compare(0, 4, "aux:") == 0;
    out[prefixed ? name.substr(4) : name] = arr;
  }
  return out;
}
} // namespace

Load::Load(const std::map<std::string, nd::NDArray> &param,
           InitializerPtr default_init, bool verbose)
    : Initializer("load"), param_(stripPrefixes(param)),
      default_init_(std::move(default_init)), verbose_load_(verbose),
      from_file_(false) {}

Load::Load(const std::string &path, InitializerPtr default_init, bool verbose)
    : Initializer("load"), param_(stripPrefixes(nd::load(path))),
      default_init_(std::move(default_init)), verbose_load_(verbose),
      from_file_(true) {
  std::string def = "null";
  if (default_init_) {
    try {
      def = text(default_init_->dumps());
    } catch (const Error &) {
      from_file_ = false; // the default cannot be written either
    }
  }
  kwargs_ = {{"param", text(path)},
             {"default_init", def},
             {"verbose", text(verbose_load_)}};
}

void Load::operator()(const InitDesc &desc, nd::NDArray &arr) const {
  auto it = param_.find(desc.name);
  if (it == param_.end()) {
    if (!default_init_)
      throw Error("Cannot Initialize " + desc.name +
                  ". Not found in loaded param and no default Initializer is "
                  "provided.");
    (*default_init_)(desc, arr);
    if (verbose_load_)
      std::clog << "Initialized " << desc.name << " by default\n";
    return;
  }
  if (arr.shape() != it->second.shape())
    throw Error("Parameter " + desc.name +
                " cannot be initialized from loading. Shape mismatch, target " +
                detail::shapeStr(arr.shape()) + " vs loaded " +
                detail::shapeStr(it->second.shape()));
  it->second.copyto(arr);
  if (verbose_load_)
    std::clog << "Initialized " << desc.name << " by loading\n";
}

void Load::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  (*this)(desc, arr);
}

std::string Load::dumps() const {
  if (!from_file_)
    throw Error("load: only a Load made from a file (with a writable "
                "default_init) can be written by dumps()");
  return Initializer::dumps();
}

namespace detail {

namespace {
std::vector<std::string> stringList(const json::Value *v,
                                    const std::string &what) {
  if (!v || v->kind != json::Value::Kind::Array)
    throw Error("mixed: argument '" + what + "' must be a list of strings");
  std::vector<std::string> out;
  for (const auto &item : v->items) {
    if (item.kind != json::Value::Kind::String)
      throw Error("mixed: argument '" + what + "' must be a list of strings");
    out.push_back(item.string);
  }
  return out;
}
} // namespace

void addMixedFactories(FactoryMap &map) {
  map["mixed"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader r("mixed", kwargs);
    std::vector<std::string> patterns =
        stringList(r.raw("patterns"), "patterns");
    std::vector<InitializerPtr> inits;
    for (const auto &d : stringList(r.raw("initializers"), "initializers"))
      inits.push_back(create(d));
    r.finish();
    return std::make_shared<Mixed>(patterns, inits);
  };
  map["load"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader r("load", kwargs);
    std::string path = r.string("param");
    InitializerPtr def;
    if (const json::Value *d = r.raw("default_init")) {
      if (d->kind == json::Value::Kind::String)
        def = create(d->string);
      else if (d->kind != json::Value::Kind::Null)
        throw Error("load: argument 'default_init' must be a dumps() string "
                    "or null");
    }
    bool verbose = r.boolean("verbose", false);
    r.finish();
    return std::make_shared<Load>(path, def, verbose);
  };
}

} // namespace detail
} // namespace mxjit::init
