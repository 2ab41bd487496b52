# cmake --install puts the headers, the module libraries and the CLI in place,
# and find_package(contextweaver) gives the target contextweaver::contextweaver.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/contextweaver DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ${CW_MODULE_TARGETS} contextweaver EXPORT contextweaverTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT contextweaverTargets NAMESPACE contextweaver:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/contextweaver)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/contextweaverConfig.cmake.in
  ${PROJECT_BINARY_DIR}/contextweaverConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/contextweaver)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/contextweaverConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/contextweaverConfig.cmake ${PROJECT_BINARY_DIR}/contextweaverConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/contextweaver)
