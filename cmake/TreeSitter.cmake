# Tree-sitter runtime and grammars come from pinned npm packages
# (package-lock.json, installed with `npm ci`). Debian's libtree-sitter is too
# old for ABI-15 grammars. Third-party C is compiled without our warning flags.
set(PRODLINT_NODE_MODULES "${CMAKE_CURRENT_SOURCE_DIR}/node_modules")
set(TS_RUNTIME "${PRODLINT_NODE_MODULES}/tree-sitter/vendor/tree-sitter/lib")
if(NOT EXISTS "${TS_RUNTIME}/src/lib.c")
  message(FATAL_ERROR "tree-sitter sources not found under ${PRODLINT_NODE_MODULES}; "
                      "run `npm ci` in ${CMAKE_CURRENT_SOURCE_DIR} first (scripts/bootstrap.sh does it)")
endif()

add_library(prodlint_treesitter STATIC "${TS_RUNTIME}/src/lib.c")
target_include_directories(prodlint_treesitter PUBLIC "${TS_RUNTIME}/include"
                                               PRIVATE "${TS_RUNTIME}/src")
target_compile_definitions(prodlint_treesitter PRIVATE _DEFAULT_SOURCE)
target_compile_options(prodlint_treesitter PRIVATE -w -O2)
set_target_properties(prodlint_treesitter PROPERTIES POSITION_INDEPENDENT_CODE ON)

# One entry per grammar directory (holding src/parser.c and maybe src/scanner.c).
set(PRODLINT_GRAMMAR_DIRS
  tree-sitter-python
  tree-sitter-javascript
  tree-sitter-typescript/typescript
  tree-sitter-typescript/tsx
  tree-sitter-go
  @tree-sitter-grammars/tree-sitter-yaml
  tree-sitter-json
  @tree-sitter-grammars/tree-sitter-toml)

set(_grammar_sources "")
foreach(dir ${PRODLINT_GRAMMAR_DIRS})
  set(src "${PRODLINT_NODE_MODULES}/${dir}/src")
  if(NOT EXISTS "${src}/parser.c")
    message(FATAL_ERROR "grammar ${dir} not found; run `npm ci`")
  endif()
  list(APPEND _grammar_sources "${src}/parser.c")
  if(EXISTS "${src}/scanner.c")
    list(APPEND _grammar_sources "${src}/scanner.c")
  endif()
endforeach()

# Each grammar's parser.c is compiled as its own object with its own include
# path (they all ship a private tree_sitter/parser.h).
add_library(prodlint_grammars STATIC ${_grammar_sources})
foreach(dir ${PRODLINT_GRAMMAR_DIRS})
  set(src "${PRODLINT_NODE_MODULES}/${dir}/src")
  set(files "${src}/parser.c")
  if(EXISTS "${src}/scanner.c")
    list(APPEND files "${src}/scanner.c")
  endif()
  set_source_files_properties(${files} PROPERTIES INCLUDE_DIRECTORIES "${src}")
endforeach()
target_compile_options(prodlint_grammars PRIVATE -w -O2)
target_compile_definitions(prodlint_grammars PRIVATE _DEFAULT_SOURCE)
