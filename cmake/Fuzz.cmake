# libFuzzer targets (fuzz/, docs/reliability.md#fuzzing), built with
# -DCW_BUILD_FUZZ=ON in a build tree of their own configured with clang++
# (scripts/run-fuzz). Everything is built under ASan+UBSan; the library code
# gets libFuzzer's coverage instrumentation without its main(), each fuzzer
# executable links libFuzzer itself.
#
# Include before add_subdirectory(src): the compile options must reach every
# module.
if(NOT CW_BUILD_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "CW_BUILD_FUZZ needs clang (libFuzzer): configure a separate build tree with "
                      "-DCMAKE_CXX_COMPILER=clang++, e.g. scripts/run-fuzz")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)

# cw_add_fuzzer(<name> DEPS <targets...>)
# One libFuzzer executable fuzz_<name> from fuzz/<name>.cpp. A name starts with
# its module (fuzz/<module>_<what>.cpp): like tests/<module>, it may include
# that module's private headers (src/<module>) by file name, and no other's
# (scripts/check-modules holds fuzz/ to the module graph).
function(cw_add_fuzzer name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  string(REGEX MATCH "^[a-z]+" module ${name})
  set(target fuzz_${name})
  add_executable(${target} ${PROJECT_SOURCE_DIR}/fuzz/${name}.cpp)
  if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/src/${module})
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src/${module})
  endif()
  target_link_libraries(${target} PRIVATE ${ARG_DEPS})
  target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  set_property(GLOBAL APPEND PROPERTY CW_FUZZ_TARGETS ${target})
endfunction()
