-- Requests to the lqls client that work on Neovim 0.10 (client.request) and 0.11+ (client:request).

local M = {}

--- The lqls client attached to `bufnr` (any lqls client when `bufnr` is nil), or nil after telling the
--- user why there is none.
function M.client_or_warn(bufnr)
  local client = require("lqls").client(bufnr)
  if not client then
    local where = bufnr and "for this buffer (is it a changelog?)" or "(open a changelog)"
    vim.notify("lqls: no language server is running " .. where .. "; see :checkhealth lqls", vim.log.levels.WARN)
  end
  return client
end

--- The current buffer's lqls client, the buffer and its URI; nil (after telling the user) without one.
function M.current()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client_or_warn(bufnr)
  if client then
    return client, bufnr, vim.uri_from_bufnr(bufnr)
  end
end

--- Shows a request's error; true when there was one.
function M.failed(err)
  if err then
    vim.notify("lqls: " .. M.message(err), vim.log.levels.ERROR)
  end
  return err ~= nil
end

function M.request(client, method, params, handler, bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

--- `workspace/executeCommand` of one of lqls's commands; `handler(err, result)`.
function M.command(client, name, arguments, handler, bufnr)
  return M.request(client, "workspace/executeCommand", { command = name, arguments = arguments }, function(err, result)
    handler(err, result)
  end, bufnr)
end

--- A JSON-RPC error's message.
function M.message(err)
  if type(err) == "table" then
    return err.message or vim.inspect(err)
  end
  return tostring(err)
end

return M
