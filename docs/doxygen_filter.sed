# Doxygen input filter (docs/Doxyfile): latentgeo's headers document with plain
# // comments, which Doxygen would skip. This turns them into documentation
# without changing a header:
#   - the comment block that opens a file becomes that file's description;
#   - a comment on lines of its own documents the declaration below it;
#   - a comment after a declaration's ; or , (a field, an enum value)
#     documents that declaration;
#   - "// --- name ---" separators stay plain comments.
# In the comments' text, <word> and #word are escaped: they are placeholders
# ("<path>.tmp") and C++ ("#include"), not HTML tags or links.
# Line numbers are kept, so warnings point at the header's own lines.
1,/^[^/]/ {
  /^\/\// {
    1s|$| \\file|
    s|^//( \|$)|//!\1|
    b escape
  }
  b
}
/^[[:space:]]*\/\/ ---/ b
s|^([[:space:]]*)//( \|$)|\1///\2|
t escape
s|([;,])[[:space:]]+// |\1 ///< |
t escape
b
:escape
s|(//[/!]<? .*[^\\])<([A-Za-z_][^<>]*)>|\1\\<\2\\>|
t escape
s|(//[/!]<? .*[^\\])#([A-Za-z])|\1\\#\2|
t escape
