# The intended module graph (the table the module_graph test checks against).
include(${CMAKE_CURRENT_LIST_DIR}/ModuleGraph.cmake)

# The JSON library dominates compile time; precompiling it (per target) halves
# the build on a 2-core machine.
function(cw_precompile target)
  target_precompile_headers(${target} PRIVATE <nlohmann/json.hpp> <string> <vector> <map> <optional> ${ARGN})
endfunction()

# cw_add_module(<name> DEPS <targets...>)
# Builds src/<name>/*.cpp into the static library contextweaver_<name>, with the
# public headers in include/contextweaver/<name>/. Sources are globbed so that
# adding a file to a module needs no edit outside that module. Its private
# headers (src/<name>/*.hpp) are included by file name and reachable from no
# other module: a module sees another only through include/contextweaver/.
set(CW_MODULE_TARGETS "" CACHE INTERNAL "")
function(cw_add_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(NOT sources)
    return()  # a module not written yet
  endif()
  set(target contextweaver_${name})
  add_library(${target} STATIC ${sources})
  add_library(contextweaver::${name} ALIAS ${target})
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${PROJECT_SOURCE_DIR}/src/${name})
  # Link only the modules that exist yet, so the tree builds while modules land.
  set(deps "")
  foreach(dep IN LISTS ARG_DEPS)
    if(NOT dep MATCHES "^contextweaver_" OR TARGET ${dep})
      list(APPEND deps ${dep})
    endif()
  endforeach()
  target_link_libraries(${target} PUBLIC ${deps})
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON EXPORT_NAME ${name})
  cw_precompile(${target})
  set(CW_MODULE_TARGETS ${CW_MODULE_TARGETS} ${target} CACHE INTERNAL "")
endfunction()

# cw_add_test(<name> DEPS <targets...>)
# One GoogleTest executable per module: tests/<name>/*.cpp. The tests reach
# their module's private headers by file name (src/<name>), never another's.
function(cw_add_test name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${name}/*.cpp)
  if(NOT sources)
    return()
  endif()
  set(target test_${name})
  add_executable(${target} ${sources})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  # The repository, for fixtures and .deps (not __FILE__: a compiler cache may
  # make source paths relative).
  target_compile_definitions(${target} PRIVATE CW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/src/${name})
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src/${name})
  endif()
  set(deps "")
  foreach(dep IN LISTS ARG_DEPS)
    if(TARGET ${dep})
      list(APPEND deps ${dep})
    endif()
  endforeach()
  target_link_libraries(${target} PRIVATE ${deps} cw_test_support GTest::gtest GTest::gmock GTest::gtest_main)
  cw_precompile(${target} <gtest/gtest.h>)
  gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "CW_SHARED_DIR=${CW_SHARED_DIR}" LABELS ${name})
endfunction()
