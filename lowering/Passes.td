//===- Passes.td - mxjit passes ----------------------------*- tablegen -*-===//

#ifndef MXJIT_LOWERING_PASSES_TD
#define MXJIT_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def MxToLinalg : Pass<"mx-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower mx ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every `mx` op into upstream dialects on tensors: elementwise and
    broadcasting ops become `linalg.generic`, reductions `linalg.generic`
    with reduction iterators, contractions `linalg.generic` matmul-like nests,
    and shape ops `tensor` reshapes and slices. Softmax is decomposed into a
    numerically stable max / exp / sum sequence. Ops on dynamic shapes are
    reported as not yet lowerable.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect"
  ];
}

def MxPreciseMathToLibm : Pass<"mx-precise-math-to-libm", "mlir::ModuleOp"> {
  let summary = "Call libm for math.expm1 and math.log1p";
  let description = [{
    `convert-math-to-llvm` expands `math.expm1` to `exp(x) - 1` and
    `math.log1p` to `log(1 + x)`, which lose all precision for small |x|.
    This pass turns just those two ops (f32/f64) into calls of libm's
    `expm1f`/`expm1`/`log1pf`/`log1p` and leaves every other math op to
    `convert-math-to-llvm`. `mx-lower-to-llvm` runs it before that pass.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def MxFastMath : Pass<"mx-fast-math"> {
  let summary = "Replace f32 tanh, exp, log, log2 and erf by polynomial "
                "approximations";
  let description = [{
    Rewrites `math.tanh`, `math.exp`, `math.log`, `math.log2` and `math.erf`
    on f32 scalars or vectors with upstream's polynomial approximations
    (`populateMathPolynomialApproximationPatterns`): arith and `math.fma`
    only, so the loops around them vectorize, where the libm calls they
    replace would run one element at a time. f64 ops, `math.expm1` and
    `math.log1p` (see `mx-precise-math-to-libm`) are left alone. The
    approximations' error is measured against the C library in
    test/runtime/FastMathTest.cpp and documented in docs/performance.md.
    `mx-lower-to-llvm` runs it unless `fast-math=false`.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::math::MathDialect",
    "mlir::vector::VectorDialect"
  ];
}

def MxAutodiff : Pass<"mx-autodiff", "mlir::ModuleOp"> {
  let summary = "Build reverse-mode gradient functions of mx functions";
  let description = [{
    For each selected function `@f`, adds `@f_grad` built from mx ops with
    each op's VJP (DifferentiableOpInterface): signature (f's arguments...,
    [seeds...]) -> ([f's results...], gradients of the `wrt` arguments).
    The output is mx again, so the pass applies to its own output for higher
    order gradients, e.g.
    `mx-autodiff{function=f keep-forward=false}, mx-autodiff{function=f_grad keep-forward=false}`.
    An op without a VJP on a differentiated path is an error naming the op.
  }];
  let options = [
    Option<"function", "function", "std::string", /*default=*/"\"\"",
           "Function to differentiate (default: every function that is not "
           "itself a gradient)">,
    ListOption<"wrt", "wrt", "unsigned",
               "Argument indices to differentiate (default: all floating-point)">,
    ListOption<"results", "results", "unsigned",
               "Result indices to differentiate (default: all)">,
    Option<"seeds", "seeds", "bool", /*default=*/"false",
           "Take head gradients as extra arguments instead of ones">,
    Option<"keepForward", "keep-forward", "bool", /*default=*/"true",
           "Return the forward results before the gradients">,
  ];
  let dependentDialects = ["mxjit::mx::MxDialect"];
}

def MxDistinctResults : Pass<"mx-distinct-results", "mlir::func::FuncOp"> {
  let summary = "Give every returned tensor its own value";
  let description = [{
    A function that returns one tensor value twice gets a `linalg.copy` for
    each repeat. Results become separate caller-owned out-parameters after
    bufferization, and upstream `buffer-results-to-out-params` cannot handle
    one buffer returned twice (it crashes in MLIR 22), so `mx-lower-to-llvm`
    runs this just before bufferizing.
  }];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"
  ];
}

def MxDonateDestinations
    : Pass<"mx-donate-destinations", "mlir::func::FuncOp"> {
  let summary = "Build donated results in their argument's tensor";
  let description = [{
    For every argument with `mx.donate = j` (result j may take the
    argument's buffer; the dialect verifier checks index and type), the
    chain of destinations result j is built in (`outs` of DPS ops such as
    linalg ops, `tensor.insert_slice` and `vector.transfer_write`, inits of
    `scf.for`) starts from the argument instead of from a `tensor.empty`.
    One-shot bufferization then writes the result into the argument's buffer
    unless the old value is read later (it copies then). Sets
    `mx.donate_out` on the argument (the index result j gets as an
    out-parameter) for `mx-donate-out-params`. `mx-lower-to-llvm` runs it
    just before bufferizing.
  }];
  let statistics = [
    Statistic<"numDonated", "num-donated",
              "Donated results built in their argument's tensor">,
  ];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def MxDonateOutParams : Pass<"mx-donate-out-params", "mlir::func::FuncOp"> {
  let summary = "Make bufferized code right when a donated argument and "
                "its out-parameter are one buffer";
  let description = [{
    Runs after bufferization and `mx-plan-memory` on functions whose results
    are out-parameters. For each argument with `mx.donate_out = k` (set by
    `mx-donate-destinations`), the caller may pass the same pointer as the
    argument and as out-parameter k. When bufferization wrote the result in
    place into the argument, the final `memref.copy` into the out-parameter
    runs only if the two pointers differ. Otherwise, if any op touching the
    argument (or a view of it) does not come before every op touching the
    out-parameter, the argument is copied into a temporary on entry and the
    body reads that. Removes the `mx.donate`/`mx.donate_out` attributes.
  }];
  let statistics = [
    Statistic<"numInPlace", "num-in-place",
              "Donated results computed in their argument's buffer">,
    Statistic<"numOrdered", "num-ordered",
              "Donated arguments last used before their out-parameter">,
    Statistic<"numCopied", "num-copied",
              "Donated arguments copied on entry">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect"
  ];
}

def MxHoistResults : Pass<"mx-hoist-results", "mlir::func::FuncOp"> {
  let summary = "Compute returned values as soon as their operands exist";
  let description = [{
    Moves every pure op without regions whose results are used only by the
    function's return to just after the last definition of its operands.
    Reverse-mode autodiff emits a training step's weight gradients after all
    its data gradients, so the activations and output gradients they read
    stay alive through the whole backward pass; returned values become
    caller-owned out-parameters, so computing them early costs no temporary
    and lets `mx-plan-memory` reuse their operands' bytes sooner.
  }];
  let statistics = [
    Statistic<"numHoisted", "num-hoisted", "ops moved earlier">,
  ];
}

def MxFuse : Pass<"mx-fuse", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise, broadcast and reduction kernels";
  let description = [{
    Merges a `linalg.generic` producer into its consumer when the producer is
    all-parallel and its result has no other use, so that chains of
    elementwise and broadcasting ops, and an elementwise chain feeding a
    reduction, become one loop nest with no intermediate buffer (upstream
    `linalg::fuseElementwiseOps` does each merge). A producer that a
    broadcasting consumer would recompute many times stays separate when
    it calls transcendental math (`math.exp`, `math.log`, ...): a tensor of
    N values read by M rows would otherwise cost M x N evaluations instead of
    N.

    Every merged kernel carries `mx.fused`, the mx ops it computes in order
    (from the `mx.<op>` name locations that mx-to-linalg gives the ops it
    creates), which makes the decisions visible in the IR; the statistics
    `kernels-before` and `kernels-after` count the linalg ops of each
    function before and after.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
  let statistics = [
    Statistic<"kernelsBefore", "kernels-before",
              "linalg ops before fusion">,
    Statistic<"kernelsAfter", "kernels-after", "linalg ops after fusion">,
    Statistic<"fusions", "fusions", "producer-consumer merges">,
  ];
  let options = [
    Option<"reportKernels", "report-kernels", "bool", /*default=*/"false",
           "Emit a remark with each function's kernel counts">,
  ];
}

def MxOutlineLoopNests : Pass<"mx-outline-loop-nests", "mlir::ModuleOp"> {
  let summary = "Move each top-level loop nest into its own no-inline function";
  let description = [{
    On bufferized scf code, every top-level `scf.for` / `scf.parallel` of a
    public function (or a run of small consecutive ones) becomes a private
    `func.func @<fn>_kernel<N>` called from where it was. Memrefs and scalars
    it uses become arguments; constants and pure views (subview,
    expand/collapse_shape, get_global) are recomputed inside, so arguments
    are identity-layout memrefs the bare-pointer calling convention passes
    as plain pointers. Allocations and deallocations stay in the caller.
    Kernels carry `passthrough = ["noinline"]` and internal linkage: LLVM's
    loop passes cost time that grows with the size of the enclosing
    function for every loop, so one function with a thousand loop nests is
    quadratic in `opt -O3`, and the inliner must not undo the split.
    A nest whose arguments the bare-pointer convention cannot pass (dynamic
    shapes or strides) stays inline.
  }];
  let options = [
    Option<"groupOps", "group-ops", "int64_t", /*default=*/"64",
           "Put consecutive nests in one kernel while their total op count "
           "stays within this (0: one kernel per nest)">,
  ];
  let dependentDialects = [
    "mlir::func::FuncDialect", "mlir::LLVM::LLVMDialect"
  ];
}

def MxParallelize : Pass<"mx-parallelize", "mlir::ModuleOp"> {
  let summary = "Run the outermost parallel loop of big loop nests on the "
                "runtime thread pool";
  let description = [{
    On bufferized scf code, before mx-outline-loop-nests. In every function,
    the outermost parallel loop of each top-level loop nest is found: an
    `scf.parallel` (its first dimension is split), or an `scf.for` without
    iter_args that carries a `mxjit.parallel` unit attribute (what
    mx-tile-and-vectorize puts on the tile loops of parallel dimensions).
    Sequential loops around it stay where they are and are searched
    through. When the work under that loop (trip counts times a rough op
    count, vector ops counted per lane) reaches `min-work`, its body moves
    into a private function `(!llvm.ptr ctx, index begin, index end)` that
    runs iterations [begin, end), the values it uses are stored into a
    stack context of 8-byte slots (memrefs as their aligned pointer), and
    the loop becomes a call of the runtime's `mxjit_parallel_for(body, ctx,
    count)`, which splits [0, count) across threads. Constants and pure
    views are recomputed in the body, as in mx-outline-loop-nests.

    Only parallel dimensions are split and every iteration computes exactly
    what it computed before, so results are bit-identical for any thread
    count; the thread count is read at run time. Smaller nests, reductions
    (`scf.for` with iter_args or without the attribute), and nests using
    values the context cannot carry (dynamic-shaped or strided memrefs,
    vectors) are left alone.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "Least estimated work (scalar op instances) under a loop for it to "
           "be split; smaller loops stay on the calling thread">,
  ];
  let statistics = [
    Statistic<"numParallelized", "num-parallelized",
              "Loops sent to mxjit_parallel_for">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::func::FuncDialect",
    "mlir::LLVM::LLVMDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect"
  ];
}

def MxTileAndVectorize : Pass<"mx-tile-and-vectorize", "mlir::func::FuncOp"> {
  let summary = "Tile, register-block and vectorize matrix products and "
                "convolutions";
  let description = [{
    On linalg ops on tensors, before bufferization. Every floating-point
    (f32, f64) contraction with static shapes (what mx-to-linalg emits for
    dot, batch_dot and fully_connected, and linalg.matmul and friends) is
    tiled twice with the SCF tiling interface: into cache tiles
    (`cache-tile-m/n/k`, shrunk to divide the loop where possible), then
    into `register-rows` x (`register-vectors` x SIMD width) accumulator
    blocks that step through k one element at a time. Register loops are
    peeled; tiles of static size (full ones and static remainders) go
    through `linalg::vectorize` to `vector.contract`, the accumulator
    block is hoisted out of the k loop, the contraction is lowered to outer
    products (one broadcast `vector.fma` per row and k), and the block's
    rows become separate loop-carried SIMD values. Tiles of dynamic size
    stay linalg ops for `convert-linalg-to-loops`. Batch and other extra
    loops are tiled by 1 outermost; loops of extent 1 are dropped first.

    A right-hand operand whose n axis is not contiguous (fully_connected's
    weight) is read through one transposed copy. With `im2col`, a
    contraction-bodied linalg.generic that reads one operand through a
    window (`linalg.conv_2d_nchw_fchw`, generalized first; backward_weight,
    grouped convolutions) gets that operand copied into a plain tensor
    (batch axes, reduction axes, output axes: the copy's innermost loop
    walks input rows), its other operand transposed and adjacent loops
    merged, which makes it a (batched) matrix product too. Integer contractions, outputs narrower than one SIMD
    register and dynamic shapes are left alone.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of one SIMD register (16: AVX-512, 8: AVX2); f64 uses "
           "half; 0 disables the pass">,
    Option<"registerRows", "register-rows", "int64_t", /*default=*/"8",
           "Rows of the accumulator block kept in registers">,
    Option<"registerVectors", "register-vectors", "int64_t", /*default=*/"2",
           "SIMD registers per accumulator row">,
    Option<"cacheTileM", "cache-tile-m", "int64_t", /*default=*/"64",
           "Rows of the left operand per cache tile">,
    Option<"cacheTileN", "cache-tile-n", "int64_t", /*default=*/"512",
           "Columns of the right operand per cache tile">,
    Option<"cacheTileK", "cache-tile-k", "int64_t", /*default=*/"256",
           "Reduction length per cache tile">,
    Option<"lowerContractions", "lower-contractions", "bool",
           /*default=*/"true",
           "Lower vector.contract to outer products and vector.fma (false "
           "keeps vector.contract)">,
    Option<"im2col", "im2col", "bool", /*default=*/"true",
           "Rewrite convolutions (2-D NCHW named ops, window-read "
           "contraction generics) as im2col + matrix product">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect", "mlir::affine::AffineDialect"
  ];
}

def MxVectorizeReductions
    : Pass<"mx-vectorize-reductions", "mlir::func::FuncOp"> {
  let summary = "Vectorize floating-point reductions along their contiguous "
                "axis";
  let description = [{
    On linalg.generic reductions on tensors with static shapes, after
    mx-tile-and-vectorize. A reduction whose body combines with one
    `arith.addf`, `mulf`, `maximumf`, `minimumf`, `maxnumf` or `minnumf`
    is classified by the loop that walks its largest input contiguously:

    - Row reductions (that loop is reduced, e.g. `sum(x, axis=-1)`, the
      max and sum of softmax): the kept loops are tiled by 1 (marked
      `mxjit.parallel`), the reduced loops are tiled for a partial
      reduction (upstream `PartialReductionOuterReduction`): a
      loop-carried vector of T partial results (T a divisor of the
      contiguous extent, up to 4 SIMD registers, so up to 4 independent
      add chains) accumulates strided elements, and one tree
      `vector.reduction` merges it into the output. This reassociates
      floating-point sums (deterministically: the order depends only on
      the shapes, never on the thread count); max/min are exact.
    - Column reductions (that loop is kept, e.g. `sum(x, axis=0)`, bias
      gradients): the last reduced loop is tiled into blocks of rows that
      fit in 32 KiB, inside them the contiguous kept loop by up to 4 SIMD
      registers (marked `mxjit.parallel`) and the reduced loops by 1; each
      accumulator register sums its columns in the original order (no
      reassociation).
    - Full reductions of one long axis (`min-split-length` elements and
      more, nothing kept) are first split (upstream `splitReduction`) into
      a fixed number of rows of partial sums, which then run as a
      parallel row reduction.

    Dynamic shapes, integer reductions, other combiners and extents that no
    tile of at least half a SIMD register divides are left to the scalar
    loops.
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes of one SIMD register (16: AVX-512, 8: AVX2); f64 uses "
           "half; 0 disables the pass">,
    Option<"maxRegisters", "max-registers", "int64_t", /*default=*/"4",
           "SIMD registers of partial results per reduction">,
    Option<"minSplitLength", "min-split-length", "int64_t",
           /*default=*/"65536",
           "Shortest full reduction split into parallel rows">,
    Option<"splitRows", "split-rows", "int64_t", /*default=*/"64",
           "Rows a long full reduction is split into (fixed, so results do "
           "not depend on the thread count)">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect", "mlir::affine::AffineDialect"
  ];
}

def MxPlanMemory : Pass<"mx-plan-memory", "mlir::ModuleOp"> {
  let summary = "Place a function's temporaries in one arena, reusing bytes";
  let description = [{
    Runs on bufferized code, where every temporary is a `memref.alloc` with
    one `memref.dealloc`. Each static-shaped, identity-layout temporary of
    the function body that does not escape (not returned, not passed to a
    call) gets a live interval: the first to the last op of the body that
    uses it or a view of it (`mlir::Liveness` over the aliases from
    `BufferViewFlowAnalysis`). An all-parallel linalg op that reads a
    temporary through an identity map where it dies, and writes a fresh
    temporary of the same type through an identity map, writes in place.
    Temporaries are then placed greedily by size (best fit) in one
    `memref.alloc` of i8 at the top of the function, so those whose
    intervals do not overlap share bytes; each allocation becomes a
    `memref.view` into it and their deallocations become one at the end.
    Allocations inside loops, of dynamic shape, or escaping are left alone.

    First, a temporary that is only copied into an out-parameter (a function
    argument with no other use) by a `memref.copy`, with no use of it or
    its views after the copy, is replaced by the out-parameter: its writers
    write the result in place and the copy goes away.

    With `runtime-arena` (the default) the arena comes from the runtime's
    block cache: `func.call @mxjit_arena_acquire(bytes)` at the top and
    `func.call @mxjit_arena_release` before the return (declared in the
    module, plain C functions in runtime/Arena.cpp), so repeated calls reuse
    resident pages instead of faulting in a fresh mapping each time. Without
    it the arena is a `memref.alloc`/`memref.dealloc` pair. A module pass
    because it declares those functions.

    The function gets `mx.naive_bytes` (sum of all static temporaries) and
    `mx.planned_peak_bytes` (arena size plus the temporaries left alone).
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"64",
           "Byte alignment of the arena and of every slot in it">,
    Option<"inPlace", "in-place", "bool", /*default=*/"true",
           "Let elementwise ops write their result over a dying input">,
    Option<"runtimeArena", "runtime-arena", "bool", /*default=*/"true",
           "Take the arena from mxjit_arena_acquire/release (the runtime's "
           "reusable blocks) instead of memref.alloc/dealloc">,
  ];
  let statistics = [
    Statistic<"numPlanned", "num-planned", "Temporaries placed in an arena">,
    Statistic<"numUnplanned", "num-unplanned",
              "Allocations left alone (dynamic, in loops or escaping)">,
    Statistic<"numInPlace", "num-in-place",
              "Results written over a dying input">,
    Statistic<"numHoisted", "num-hoisted",
              "Allocations moved out of sequential loops">,
    Statistic<"numForwarded", "num-forwarded",
              "Temporaries copied into an out-parameter at the end that "
              "are written there directly instead">,
    Statistic<"naiveBytes", "naive-bytes",
              "Sum of the static temporaries' sizes">,
    Statistic<"plannedPeakBytes", "planned-peak-bytes",
              "Arena sizes plus the static temporaries left alone">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::func::FuncDialect",
    "mlir::memref::MemRefDialect"
  ];
}

def MxGpuMapLoops : Pass<"mx-gpu-map-loops", "mlir::func::FuncOp"> {
  let summary = "Map a bufferized function's loop nests to GPU blocks and "
                "threads";
  let description = [{
    Runs on host functions after `convert-linalg-to-parallel-loops`, before
    `convert-parallel-loops-to-gpu`: every piece of work in the function
    body must end in a kernel, because the memrefs are device memory that
    the host may not touch.

    - `memref.copy` becomes an `scf.parallel` of loads and stores.
    - Consecutive top-level ops that touch memory or compute (an `scf.for`
      of an all-reduction `linalg.generic`, the scalar code of a rank-0
      op) are wrapped in a one-iteration `scf.parallel` (one thread).
    - Every top-level `scf.parallel` is linearized: its iteration space
      (any rank) becomes `ceil(n / block-size)` blocks of `block-size`
      threads (`#gpu.loop_dim_map` block_x / thread_x) and a guard
      `idx < n`; the index is split back into the original induction
      variables, the last one fastest, so neighbouring threads touch
      neighbouring elements (coalesced accesses for row-major memrefs).
      Serial loops inside (reduction dimensions) stay in each thread, so a
      row reduction is one thread per row. Nested `scf.parallel` ops are
      marked sequential.

    Values computed by a wrapped run and used after it cannot stay on the
    host: the pass reports an error at that op.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Threads per block">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::gpu::GPUDialect",
    "mlir::scf::SCFDialect", "mlir::memref::MemRefDialect"
  ];
}

def MxGpuDeviceMemory : Pass<"mx-gpu-device-memory", "mlir::func::FuncOp"> {
  let summary = "Allocate a host function's temporaries in device memory";
  let description = [{
    Replaces `memref.alloc` / `memref.dealloc` in host functions (outside
    `gpu.module` and `gpu.launch`) by `gpu.alloc` / `gpu.dealloc`, which
    `gpu-to-llvm` lowers to the runtime's `mgpuMemAlloc` / `mgpuMemFree`.
    On the GPU path every memref of a host function is device memory: its
    arguments are device pointers and its temporaries must be too.
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect"];
}

#endif // MXJIT_LOWERING_PASSES_TD
