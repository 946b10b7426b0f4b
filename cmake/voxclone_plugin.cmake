# voxclone_add_plugin(NAME SOURCES a.cpp ... [CONFIG config.toml] [LIBS ...])
# Builds one plugin folder as a MODULE library in the build's plugin folder. The folder's config.toml is
# embedded in the library (voxclone_plugin_config_toml()), so the loader needs no data files.
function(voxclone_add_plugin name)
  cmake_parse_arguments(P "" "CONFIG" "SOURCES;LIBS" ${ARGN})
  if(NOT P_CONFIG)
    set(P_CONFIG ${CMAKE_CURRENT_SOURCE_DIR}/config.toml)
  endif()
  set(target voxclone_plugin_${name})
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/${name}_embedded_config.cpp)
  file(READ ${P_CONFIG} toml_text)
  # Raw string with an unlikely delimiter; the file may hold anything but that.
  file(WRITE ${gen}.in "// Generated from ${P_CONFIG}: the plugin's default configuration.\n"
    "extern \"C\" const char voxclone_plugin_config_toml[] =\n"
    "    R\"vxcfg(@TOML_TEXT@)vxcfg\";\n")
  set(TOML_TEXT "${toml_text}")
  configure_file(${gen}.in ${gen} @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${P_CONFIG})
  add_library(${target} MODULE ${P_SOURCES} ${gen})
  target_link_libraries(${target} PRIVATE voxclone_core ${P_LIBS})
  target_compile_options(${target} PRIVATE ${VOXCLONE_WARNINGS})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME "voxclone-${name}" PREFIX "lib"
    LIBRARY_OUTPUT_DIRECTORY ${VOXCLONE_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    INSTALL_RPATH "$ORIGIN/../..")
  install(TARGETS ${target} LIBRARY DESTINATION ${VOXCLONE_PLUGIN_INSTALL_DIR})
endfunction()
