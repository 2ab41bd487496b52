# cmake -DROOT=<source tree> [-DLINKS=<build>/cw_module_links.cmake] -P CheckModules.cmake
#
# Fails (listing every violation) when the tree leaves the module graph of
# cmake/ModuleGraph.cmake:
# - a folder src/<m> or include/contextweaver/<m> for a module not in the table;
# - a target linking a module the table does not allow it;
# - a file of module m (src/m, include/contextweaver/m, tests/m, bench/m,
#   fuzz/m_*.cpp) including contextweaver/<x>/… for an x that m does not
#   reach through its links;
# - a fuzz target fuzz/<name>.cpp whose name does not start with a module
#   ("<module>_"): the prefix says whose private headers it may include;
# - an include path with "..", or a quoted include of another folder's private
#   header from src/ (private headers are included by file name, from the
#   module's own folder only), or a public header including a private one.
cmake_minimum_required(VERSION 3.25)
include(${ROOT}/cmake/ModuleGraph.cmake)
if(LINKS AND EXISTS ${LINKS})
  include(${LINKS})
endif()

set(errors "")
macro(violation text)
  list(APPEND errors "${text}")
endmacro()

# Every module folder is in the table.
foreach(parent src include/contextweaver)
  file(GLOB entries LIST_DIRECTORIES true ${ROOT}/${parent}/*)
  foreach(entry IN LISTS entries)
    if(IS_DIRECTORY ${entry})
      get_filename_component(name ${entry} NAME)
      if(NOT name IN_LIST CW_MODULE_GRAPH)
        violation("${parent}/${name}: module '${name}' is not in cmake/ModuleGraph.cmake")
      endif()
    endif()
  endforeach()
endforeach()

# The links each module has (the build's, else the table's), within the table.
foreach(m IN LISTS CW_MODULE_GRAPH)
  if(DEFINED CW_LINKS_${m})
    set(DIRECT_${m} ${CW_LINKS_${m}})
    foreach(dep IN LISTS CW_LINKS_${m})
      if(NOT dep IN_LIST CW_MODULE_DEPS_${m})
        violation("contextweaver_${m} links contextweaver_${dep}: '${m}' may use only [${CW_MODULE_DEPS_${m}}]")
      endif()
    endforeach()
  else()
    set(DIRECT_${m} ${CW_MODULE_DEPS_${m}})
  endif()
endforeach()

# Every fuzz target belongs to a module (cmake/Fuzz.cmake gives it that
# module's private headers only).
file(GLOB fuzz_targets ${ROOT}/fuzz/*.cpp)
foreach(file IN LISTS fuzz_targets)
  get_filename_component(name ${file} NAME_WE)
  string(REGEX MATCH "^[a-z]+" prefix "${name}")
  if(NOT name MATCHES "^[a-z]+_" OR NOT prefix IN_LIST CW_MODULE_GRAPH)
    violation("fuzz/${name}.cpp: a fuzz target is named <module>_<what> after a module of cmake/ModuleGraph.cmake")
  endif()
endforeach()

# Everything a module reaches through its links.
function(reach m out)
  set(seen "")
  set(todo ${DIRECT_${m}})
  while(todo)
    list(POP_FRONT todo x)
    if(NOT x IN_LIST seen)
      list(APPEND seen ${x})
      list(APPEND todo ${DIRECT_${x}})
    endif()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

foreach(m IN LISTS CW_MODULE_GRAPH)
  reach(${m} reachable)
  string(REPLACE ";" " " reachable_shown "${reachable}")
  foreach(kind src include tests bench)
    if(kind STREQUAL "include")
      set(dir ${ROOT}/include/contextweaver/${m})
    else()
      set(dir ${ROOT}/${kind}/${m})
    endif()
    if(NOT IS_DIRECTORY ${dir})
      continue()
    endif()
    file(GLOB_RECURSE files ${dir}/*.hpp ${dir}/*.cpp ${dir}/*.h ${dir}/*.inc)
    if(kind STREQUAL "src")
      # A fuzz target counts as its module's, like the module's tests.
      file(GLOB fuzz_files ${ROOT}/fuzz/${m}_*.cpp)
      list(APPEND files ${fuzz_files})
    endif()
    foreach(file IN LISTS files)
      file(RELATIVE_PATH shown ${ROOT} ${file})
      file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
      foreach(line IN LISTS lines)
        if(NOT line MATCHES "#[ \t]*include[ \t]*([\"<])([^\">]+)[\">]")
          continue()
        endif()
        set(quote "${CMAKE_MATCH_1}")
        set(path "${CMAKE_MATCH_2}")
        if(path MATCHES "(^|/)\\.\\.(/|$)")
          violation("${shown}: #include \"${path}\" climbs out of its folder (use an include directory)")
        elseif(path MATCHES "^contextweaver/([a-z_]+)/")
          set(used ${CMAKE_MATCH_1})
          if(NOT used STREQUAL m AND NOT used IN_LIST reachable)
            violation("${shown}: includes contextweaver/${used}/, but '${m}' reaches only [${reachable_shown}]")
          endif()
        elseif(quote STREQUAL "\"" AND kind STREQUAL "include")
          violation("${shown}: public header includes the private header \"${path}\"")
        elseif(quote STREQUAL "\"" AND kind STREQUAL "src" AND path MATCHES "/")
          violation("${shown}: #include \"${path}\": a private header is included by file name, from its own module")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()

if(errors)
  list(REMOVE_DUPLICATES errors)
  list(LENGTH errors count)
  foreach(e IN LISTS errors)
    message("${e}")
  endforeach()
  message(FATAL_ERROR "module graph: ${count} violation(s); the intended graph is cmake/ModuleGraph.cmake")
endif()
message("module graph: OK")
