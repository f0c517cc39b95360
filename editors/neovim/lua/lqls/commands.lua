-- :LqlsReindex, :LqlsRuleDocs, :LqlsStatus, :LqlsRestart (the review commands are in lqls.review).

local rpc = require("lqls.rpc")

local M = {}

function M.reindex()
  -- The knowledge base is the server's, not a buffer's: any lqls client will do.
  local client = rpc.client_or_warn(nil)
  if not client then
    return
  end
  rpc.command(client, "lqls.reindex", {}, function(err)
    if not rpc.failed(err) then
      vim.notify("lqls: indexing the knowledge base again")
    end
  end)
end

local function show_rule(client, code)
  rpc.command(client, "lqls.ruleDocs", { code }, function(err, page)
    if rpc.failed(err) then
      return
    end
    require("lqls.float").show(page.code .. " " .. page.name, vim.split(page.markdown, "\n", { plain = true }))
  end)
end

--- The code of an lqls diagnostic on the cursor's line, if any.
local function code_at_cursor(bufnr)
  local line = vim.api.nvim_win_get_cursor(0)[1] - 1
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = line })) do
    if d.source == "lqls" and d.code then
      return tostring(d.code)
    end
  end
end

--- `:LqlsRuleDocs [CODE]`: the rule's documentation; without CODE the diagnostic under the cursor's,
--- else a picker over every rule.
function M.rule_docs(code)
  local bufnr = vim.api.nvim_get_current_buf()
  -- A rule's page needs no particular buffer (only the code under the cursor does).
  local client = rpc.client_or_warn(nil)
  if not client then
    return
  end
  code = (code ~= nil and code ~= "") and code or code_at_cursor(bufnr)
  if code then
    return show_rule(client, code)
  end
  rpc.command(client, "lqls.ruleDocs", {}, function(err, list)
    if rpc.failed(err) then
      return
    end
    vim.ui.select(list.rules, {
      prompt = "lqls rule",
      format_item = function(r)
        return ("%s  %s  %s"):format(r.code, r.name, r.summary)
      end,
    }, function(rule)
      if rule then
        show_rule(client, rule.code)
      end
    end)
  end)
end

function M.status()
  local line = require("lqls.status").line()
  vim.notify(line ~= "" and line or "lqls: not running in this buffer")
end

--- `:LqlsRestart`: stops the lqls clients and attaches the open changelogs again.
function M.restart()
  local buffers = {}
  for _, client in ipairs(require("lqls").clients()) do
    for bufnr in pairs(client.attached_buffers or {}) do
      table.insert(buffers, bufnr)
    end
    if vim.fn.has("nvim-0.11") == 1 then
      client:stop()
    else
      client.stop()
    end
  end
  vim.defer_fn(function()
    for _, bufnr in ipairs(buffers) do
      if vim.api.nvim_buf_is_valid(bufnr) then
        require("lqls").attach(bufnr)
      end
    end
  end, 500)
end

return M
