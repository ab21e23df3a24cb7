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

# Upstream fixes not in the pinned releases yet, applied to a copy of the
# scanner in the build tree (node_modules stays as npm installed it). Each
# names the exact text it replaces: a grammar update that changes it stops
# the build here, to drop or redo the fix. Both scanners check for one free
# byte of tree-sitter's 1024-byte serialization buffer, then write two or
# four: deep indentation in a scanned file overran it (a crash, or an abort
# in debug builds of the runtime).
#   python: ~510 indentation levels (tree-sitter/tree-sitter-python#350)
#   yaml:   ~250 block levels (tree-sitter-grammars/tree-sitter-yaml#47, #48)
# (Plain variables, not lists: the texts hold semicolons.)
set(_patch_from_tree-sitter-python
  "iter < scanner->indents.size && size < TREE_SITTER_SERIALIZATION_BUFFER_SIZE")
set(_patch_to_tree-sitter-python
  "iter < scanner->indents.size && size + 2 <= TREE_SITTER_SERIALIZATION_BUFFER_SIZE")
set(_patch_from_@tree-sitter-grammars/tree-sitter-yaml
  "typ_itr != typ_end && size < TREE_SITTER_SERIALIZATION_BUFFER_SIZE")
set(_patch_to_@tree-sitter-grammars/tree-sitter-yaml
  "typ_itr != typ_end && size + 2 * sizeof(int16_t) <= TREE_SITTER_SERIALIZATION_BUFFER_SIZE")

# The scanner to compile for a grammar directory: the original, or a patched copy.
function(prodlint_scanner dir out_var)
  set(scanner "${PRODLINT_NODE_MODULES}/${dir}/src/scanner.c")
  if(NOT DEFINED _patch_from_${dir})
    set(${out_var} "${scanner}" PARENT_SCOPE)
    return()
  endif()
  file(READ "${scanner}" text)
  string(FIND "${text}" "${_patch_from_${dir}}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${scanner} changed: the fix in cmake/TreeSitter.cmake no longer applies "
                        "(is it fixed upstream? then drop it)")
  endif()
  string(REPLACE "${_patch_from_${dir}}" "${_patch_to_${dir}}" text "${text}")
  set(copy "${CMAKE_BINARY_DIR}/patched-grammars/${dir}/scanner.c")
  file(WRITE "${copy}.new" "${text}")
  configure_file("${copy}.new" "${copy}" COPYONLY) # touched only when it changes
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${scanner}")
  set(${out_var} "${copy}" PARENT_SCOPE)
endfunction()

set(_grammar_sources "")
foreach(dir ${PRODLINT_GRAMMAR_DIRS})
  set(src "${PRODLINT_NODE_MODULES}/${dir}/src")
  if(NOT EXISTS "${src}/parser.c")
    message(FATAL_ERROR "grammar ${dir} not found; run `npm ci`")
  endif()
  list(APPEND _grammar_sources "${src}/parser.c")
  if(EXISTS "${src}/scanner.c")
    prodlint_scanner(${dir} scanner)
    list(APPEND _grammar_sources "${scanner}")
  endif()
endforeach()

# Each grammar's parser.c is compiled as its own object with its own include
# path (they all ship a private tree_sitter/parser.h).
add_library(prodlint_grammars STATIC ${_grammar_sources})
foreach(dir ${PRODLINT_GRAMMAR_DIRS})
  set(src "${PRODLINT_NODE_MODULES}/${dir}/src")
  set(files "${src}/parser.c")
  if(EXISTS "${src}/scanner.c")
    prodlint_scanner(${dir} scanner)
    list(APPEND files "${scanner}")
  endif()
  set_source_files_properties(${files} PROPERTIES INCLUDE_DIRECTORIES "${src}")
endforeach()
target_compile_options(prodlint_grammars PRIVATE -w -O2)
# The external scanners allocate their stacks with ts_malloc/ts_realloc: with
# TREE_SITTER_REUSE_ALLOCATOR those are the runtime's, which prodlint routes to
# its checked allocator (util/mem.c), so running out of memory in a scanner
# ends the scan with exit 3 instead of a write through a NULL stack.
target_compile_definitions(prodlint_grammars PRIVATE _DEFAULT_SOURCE TREE_SITTER_REUSE_ALLOCATOR)
