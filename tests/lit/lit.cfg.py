import os
import lit.formats

config.name = "mnn"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(os.path.dirname(config.mnn_bin_dir), "tests", "lit")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]

# mnn-opt/mnn-compile first, then FileCheck & co. from LLVM 19.
config.environment["PATH"] = os.pathsep.join(
    [config.mnn_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%mnn_src", config.mnn_source_dir))
