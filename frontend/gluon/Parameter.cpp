//===- Parameter.cpp - gluon.Parameter: data, gradient, deferred init ----===//

#include "mxjit/gluon/parameter.h"

#include "mxjit/autograd.h"

#include <sstream>

namespace mxjit::gluon {

namespace {
std::string shapeStr(const nd::Shape &shape) {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < shape.size(); ++i)
    os << (i ? ", " : "") << shape[i];
  os << (shape.size() == 1 ? ",)" : ")");
  return os.str();
}

bool shapeKnown(const nd::Shape &shape) {
  if (shape.empty())
    return false;
  for (int64_t d : shape)
    if (d <= 0)
      return false;
  return true;
}

nd::GradReq parseReq(const std::string &name, const std::string &req) {
  if (req == "write")
    return nd::GradReq::Write;
  if (req == "add")
    return nd::GradReq::Add;
  if (req == "null")
    return nd::GradReq::Null;
  throw Error("Parameter '" + name + "': grad_req must be one of 'write', " +
              "'add', or 'null', but got '" + req + "'");
}
} // namespace

Parameter::Parameter(std::string name, std::string grad_req, nd::Shape shape,
                     DType dtype, double lr_mult, double wd_mult,
                     init::InitializerPtr init, bool allow_deferred_init)
    : init(std::move(init)), lr_mult(lr_mult), wd_mult(wd_mult),
      allow_deferred_init(allow_deferred_init), name_(std::move(name)),
      shape_(std::move(shape)), dtype_(dtype) {
  parseReq(name_, grad_req);
  for (int64_t d : shape_)
    if (d < 0)
      throw Error("Parameter '" + name_ + "': negative dimension in shape " +
                  shapeStr(shape_));
  gradReq_ = std::move(grad_req);
}

void Parameter::set_shape(const nd::Shape &shape) {
  if (shape_.empty()) {
    shape_ = shape;
    return;
  }
  bool ok = shape.size() == shape_.size();
  nd::Shape merged = shape_;
  for (size_t i = 0; ok && i < shape.size(); ++i) {
    if (merged[i] == 0)
      merged[i] = shape[i];
    else
      ok = shape[i] == 0 || shape[i] == merged[i];
  }
  if (!ok)
    throw Error("Expected shape " + shapeStr(shape) +
                " is incompatible with given shape " + shapeStr(shape_) +
                " for Parameter '" + name_ + "'");
  shape_ = std::move(merged);
}

void Parameter::set_grad_req(const std::string &req) {
  nd::GradReq r = parseReq(name_, req);
  if (req == gradReq_)
    return;
  gradReq_ = req;
  if (data_.empty())
    return;
  // A fresh array drops the old gradient link (MXNet re-creates _grad).
  data_ = data_.copy();
  if (r != nd::GradReq::Null)
    data_.attach_grad(r);
  seenGrad_.reset();
  mark_grad_seen();
}

void Parameter::checkShapeKnown() const {
  if (!shapeKnown(shape_))
    throw Error("Cannot initialize Parameter '" + name_ +
                "' because it has invalid shape: " + shapeStr(shape_) +
                ". Please specify in_units, in_channels, etc for `Block`s.");
}

void Parameter::initialize(init::InitializerPtr initArg, Context ctx,
                           init::InitializerPtr default_init,
                           bool force_reinit) {
  if ((initialized() || deferred()) && !force_reinit)
    return;
  checkContext(ctx);
  data_ = nd::NDArray();
  deferred_.reset();
  if (!default_init)
    default_init = std::make_shared<init::Uniform>();
  if (!initArg)
    initArg = init ? init : default_init;
  if (!shapeKnown(shape_) && allow_deferred_init) {
    deferred_ = Deferred{initArg, default_init, ctx, nd::NDArray()};
    return;
  }
  checkShapeKnown();
  deferred_ = Deferred{initArg, default_init, ctx, nd::NDArray()};
  finish_deferred_init();
}

void Parameter::finish_deferred_init() {
  if (!deferred_)
    return;
  checkShapeKnown();
  Deferred d = std::move(*deferred_);
  deferred_.reset();
  nd::NDArray data = d.data;
  if (data.empty()) {
    // Initialization is not part of any model: keep it off the tape.
    auto scope = autograd::pause();
    data = nd::zeros(shape_, d.ctx, dtype_);
    init::InitDesc desc(name_, {}, d.default_init);
    // MXNet passes the chosen initializer as the `__init__` attribute, so
    // its weight rule fills every parameter; Mixed and Load have no weight
    // rule of their own and pick by name instead.
    if (dynamic_cast<const init::Mixed *>(d.init.get()) ||
        dynamic_cast<const init::Load *>(d.init.get()))
      (*d.init)(desc, data);
    else
      d.init->init_weight(desc, data);
  }
  initImpl(data, d.ctx);
}

void Parameter::initImpl(nd::NDArray data, Context ctx) {
  ctx_ = ctx;
  // A private copy: the caller's array must not become our variable.
  data_ = data.as_in_context(ctx).astype(dtype_).copy();
  if (gradReq_ != "null")
    data_.attach_grad(parseReq(name_, gradReq_));
  mark_grad_seen();
}

nd::NDArray Parameter::data() const {
  if (deferred_)
    throw DeferredInitializationError(
        "Parameter '" + name_ +
        "' has not been initialized yet because initialization was "
        "deferred. Actual initialization happens during the first forward "
        "pass. Please pass one batch of data through the network before "
        "accessing Parameters.");
  if (data_.empty())
    throw Error("Parameter '" + name_ +
                "' has not been initialized. Note that you should initialize "
                "parameters and create Trainer with Block.collect_params() "
                "instead of Block.params because the later does not include "
                "Parameters of nested child Blocks");
  return data_;
}

nd::NDArray Parameter::grad() const {
  nd::NDArray d = data();
  if (gradReq_ == "null")
    throw Error("Cannot get gradient array for Parameter '" + name_ +
                "' because grad_req='null'");
  return d.grad();
}

void Parameter::set_data(const nd::NDArray &data) {
  if (data.empty())
    throw Error("Parameter '" + name_ + "': set_data with an empty array");
  set_shape(data.shape());
  if (deferred_) {
    deferred_->data = data;
    return;
  }
  if (data_.empty())
    throw Error("Parameter '" + name_ +
                "' has not been initialized; set_data needs an initialized "
                "or deferred parameter");
  data.as_in_context(ctx_).copyto(data_);
}

void Parameter::zero_grad() {
  if (data_.empty() || gradReq_ == "null")
    return;
  nd::NDArray g = data_.grad();
  nd::zeros(g.shape(), g.context(), g.dtype()).copyto(g);
  mark_grad_seen();
}

void Parameter::load_init(const nd::NDArray &data, Context ctx) {
  bool ok = shape_.empty() || shape_.size() == data.shape().size();
  for (size_t i = 0; ok && i < shape_.size(); ++i)
    ok = shape_[i] == 0 || shape_[i] == data.shape()[i];
  if (!ok)
    throw Error("Failed loading Parameter '" + name_ +
                "' from saved params: shape incompatible expected " +
                shapeStr(shape_) + " vs saved " + shapeStr(data.shape()));
  if (data.dtype() != dtype_)
    throw Error("Failed loading Parameter '" + name_ +
                "' from saved params: dtype incompatible expected " +
                dtypeName(dtype_).str() + " vs saved " +
                dtypeName(data.dtype()).str());
  set_shape(data.shape());
  if (data_.empty()) {
    deferred_.reset();
    checkContext(ctx);
    initImpl(data, ctx);
    return;
  }
  set_data(data);
}

bool Parameter::grad_fresh() const {
  if (data_.empty() || gradReq_ == "null")
    return false;
  return data_.grad().node() != seenGrad_;
}

void Parameter::mark_grad_seen() {
  if (data_.empty() || gradReq_ == "null") {
    seenGrad_.reset();
    return;
  }
  seenGrad_ = data_.grad().node();
}

} // namespace mxjit::gluon
