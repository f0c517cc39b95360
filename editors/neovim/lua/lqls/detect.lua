-- Is a buffer a Liquibase changelog? lqls ignores other XML/YAML/JSON/SQL itself, but attaching to
-- every pom.xml would start a server (and its knowledge base) for nothing: the client only attaches
-- where a changelog is, decided from the first lines like lqls does.

local M = {}

-- How far into a file the markers are looked for: the root element or key is near the top.
local HEAD_LINES = 500

local function head(bufnr)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, HEAD_LINES, false)
  return table.concat(lines, "\n")
end

--- Whether `text` (the start of a file) with this `filetype` is a changelog.
---@param text string
---@param filetype string
---@return boolean
function M.text_is_changelog(text, filetype)
  if filetype == "sql" then
    -- Formatted SQL: the header is the first non-blank line.
    local first = text:match("^%s*([^\n]*)") or ""
    return first:lower():match("^%-%-%s*liquibase%s+formatted%s+sql") ~= nil
  elseif filetype == "xml" then
    return text:find("<databaseChangeLog", 1, true) ~= nil
  elseif filetype == "yaml" or filetype == "json" or filetype == "jsonc" then
    return text:find("databaseChangeLog", 1, true) ~= nil
  elseif filetype == "toml" then
    return false
  end
  return false
end

--- Whether the file name matches one of the glob patterns (which force-include a file).
---@param name string
---@param patterns string[]
function M.matches(name, patterns)
  for _, glob in ipairs(patterns or {}) do
    local ok, re = pcall(vim.fn.glob2regpat, glob)
    if ok and vim.fn.match(name, re) >= 0 then
      return true
    end
  end
  return false
end

--- Whether buffer `bufnr` is something lqls should see: a changelog, a file the `patterns` name, or an
--- `lqls.toml` (its problems are diagnostics too).
---@param bufnr integer
---@param patterns string[]|nil
function M.is_lqls_buffer(bufnr, patterns)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.fs.basename(name) == "lqls.toml" then
    return true
  end
  if M.matches(name, patterns) then
    return true
  end
  local yes = M.text_is_changelog(head(bufnr), vim.bo[bufnr].filetype)
  vim.b[bufnr].lqls_changelog = yes
  return yes
end

return M
