-- luacheck editors/neovim (scripts/test.sh runs it when luacheck is installed: Debian's lua-check)
std = "luajit"
-- vim's option tables (vim.bo, vim.wo, vim.g, vim.b) are written to: vim is a global the plugin may set fields of.
globals = { "vim" }
max_line_length = 120
