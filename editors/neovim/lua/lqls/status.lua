-- The server's `lqls/status` (knowledge base and model state), for statuslines and :checkhealth.

local M = {}

-- The last status, per client id.
M.by_client = {}

function M.update(result, ctx)
  if type(result) == "table" and ctx and ctx.client_id then
    M.by_client[ctx.client_id] = result
    vim.api.nvim_exec_autocmds("User", { pattern = "LqlsStatus", modeline = false })
  end
end

--- A short text for a status: "KB 120/300 · model idle".
function M.format(status)
  if type(status) ~= "table" then
    return "starting"
  end
  local kb = status.knowledgeBase or {}
  local model = status.model or {}
  local parts = {}
  if kb.state == "indexing" and kb.total and kb.total > 0 then
    table.insert(parts, ("KB %d/%d"):format(kb.embedded or 0, kb.total))
  else
    table.insert(parts, "KB " .. (kb.state or "?"))
  end
  table.insert(parts, "model " .. (model.state or "?"))
  local running = status.reviews and status.reviews.running or 0
  if running > 0 then
    table.insert(parts, ("reviewing %d"):format(running))
  end
  return table.concat(parts, " · ")
end

--- "lqls: KB ready · model idle" for the client of the current buffer; "" without one.
function M.line()
  local client = require("lqls").client(vim.api.nvim_get_current_buf())
  if not client then
    return ""
  end
  return "lqls: " .. M.format(M.by_client[client.id])
end

return M
