# Tokenizer tables for TiktokenEstimator / BpeEncoding (include after
# add_subdirectory(src)). scripts/bootstrap.d/20-tiktoken.sh unpacks the
# pinned npm `tiktoken` package into .deps/tiktoken; its encoder JSON files are
# copied into <build>/tokenizer here (never committed) and installed under
# <datadir>/contextweaver/tokenizer. The library finds them through the two
# compiled-in paths below (after an explicit path and $CONTEXTWEAVER_TOKENIZER_DIR).
include(GNUInstallDirs)
set(CW_TIKTOKEN_PACKAGE_DIR "${PROJECT_SOURCE_DIR}/.deps/tiktoken/package"
    CACHE PATH "The unpacked npm tiktoken package (scripts/bootstrap)")
set(CW_TOKENIZER_BUILD_DIR "${PROJECT_BINARY_DIR}/tokenizer")
set(CW_TOKENIZER_INSTALL_DIR "${CMAKE_INSTALL_FULL_DATADIR}/contextweaver/tokenizer")

foreach(encoding cl100k_base o200k_base)
  set(table "${CW_TIKTOKEN_PACKAGE_DIR}/encoders/${encoding}.json")
  if(EXISTS "${table}")
    # configure_file re-copies when the package changes.
    configure_file("${table}" "${CW_TOKENIZER_BUILD_DIR}/${encoding}.json" COPYONLY)
    install(FILES "${table}" DESTINATION "${CMAKE_INSTALL_DATADIR}/contextweaver/tokenizer")
  else()
    message(STATUS "tokenizer: ${table} absent (run scripts/bootstrap); "
                   "TiktokenEstimator will fall back to CharDivFourEstimator")
  endif()
endforeach()

if(TARGET contextweaver_tokens)
  target_compile_definitions(contextweaver_tokens PRIVATE
    CW_TOKENIZER_BUILD_DIR="${CW_TOKENIZER_BUILD_DIR}"
    CW_TOKENIZER_INSTALL_DIR="${CW_TOKENIZER_INSTALL_DIR}")
endif()
