# -*- Python -*-
import os
import sys

import lit.formats
from lit.llvm import llvm_config

config.name = "MXJIT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mxjit_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "runtime", "autodiff", "frontend", "symbol", "gluon",
                   "Inputs"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["mxjit-opt", "mxjit-compile"],
                                   [config.mxjit_tools_dir])
# The system C compiler CMake found: AOT objects must link with it alone.
config.substitutions.append(("%cc", config.mxjit_cc))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%fixtures", os.path.join(
    config.mxjit_src_root, "test", "symbol", "fixtures")))
# PTX from mx-lower-to-nvvm: extracted by scripts/extract-ptx.py and, where
# the CUDA toolkit is installed, assembled with ptxas (never needed to build).
config.substitutions.append(("%extract_ptx", sys.executable + " " + os.path.join(
    config.mxjit_src_root, "scripts", "extract-ptx.py")))
ptxas = "/usr/local/cuda/bin/ptxas"
if os.access(ptxas, os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
