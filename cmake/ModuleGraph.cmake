# The intended module graph, written once: each module and the modules it may
# use directly. A module may include the public headers
# (include/contextweaver/<m>/) of every module it reaches through the links it
# actually has, and may link only the modules listed here.
# scripts/check-modules (CTest: module_graph) holds src/, include/, tests/,
# bench/ and fuzz/ (fuzz/<module>_*.cpp counts as <module>'s, like its tests)
# and the build's links to this table. A module listed here whose
# folder does not exist (yet, or any more) is simply skipped.
#
# A new module: add a line here, then its cw_add_module() in src/CMakeLists.txt.
set(CW_MODULE_GRAPH core tokens store summarize context session routing mcp cli)

set(CW_MODULE_DEPS_core "")
set(CW_MODULE_DEPS_tokens core)
set(CW_MODULE_DEPS_store core)
set(CW_MODULE_DEPS_summarize core)
set(CW_MODULE_DEPS_context core store summarize tokens)
# session: a workspace's named sessions, their layout, lock and stores.
set(CW_MODULE_DEPS_session core store)
set(CW_MODULE_DEPS_routing core tokens)
set(CW_MODULE_DEPS_mcp core context routing session)
# The command-line program (an executable, contextweaver_cli) sits on top.
set(CW_MODULE_DEPS_cli core tokens store summarize context session routing mcp)

# Registers the CTest test that checks the tree against the table. The links
# each target really has are written at configure time, so that a
# target_link_libraries() anywhere is seen, not only the cw_add_module() lines.
function(cw_add_module_graph_test)
  set(text "")
  foreach(module IN LISTS CW_MODULE_GRAPH)
    set(target contextweaver_${module})
    if(NOT TARGET ${target})
      continue()
    endif()
    get_target_property(libs ${target} LINK_LIBRARIES)
    set(deps "")
    foreach(lib IN LISTS libs)
      if(lib MATCHES "^contextweaver(_|::)([a-z_]+)$")
        list(APPEND deps ${CMAKE_MATCH_2})
      endif()
    endforeach()
    string(APPEND text "set(CW_LINKS_${module} \"${deps}\")\n")
  endforeach()
  file(WRITE ${CMAKE_BINARY_DIR}/cw_module_links.cmake "${text}")
  add_test(NAME module_graph
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-modules ${PROJECT_SOURCE_DIR}
                   ${CMAKE_BINARY_DIR}/cw_module_links.cmake)
endfunction()
