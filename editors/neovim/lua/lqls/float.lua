-- One floating window for lqls's Markdown (reviews, rule documentation), reused while it is open.

local M = {}

local state = { win = nil, buf = nil }

local function size(value, total)
  if value <= 1 then
    return math.max(20, math.floor(total * value))
  end
  return math.min(value, total - 2)
end

--- Whether the float is open.
function M.is_open()
  return state.win ~= nil and vim.api.nvim_win_is_valid(state.win)
end

--- The float's buffer (for tests and re-rendering), or nil when closed.
function M.buffer()
  return M.is_open() and state.buf or nil
end

--- Shows `lines` (Markdown) in the float titled `title`, opening it if needed.
---@param title string
---@param lines string[]
function M.show(title, lines)
  local o = require("lqls").options.review
  if not (state.buf and vim.api.nvim_buf_is_valid(state.buf)) then
    state.buf = vim.api.nvim_create_buf(false, true)
    vim.bo[state.buf].bufhidden = "hide"
    vim.bo[state.buf].filetype = "markdown"
    for _, key in ipairs({ "q", "<Esc>" }) do
      vim.keymap.set("n", key, M.close, { buffer = state.buf, nowait = true, desc = "Close the lqls window" })
    end
  end
  vim.bo[state.buf].modifiable = true
  vim.api.nvim_buf_set_lines(state.buf, 0, -1, false, lines)
  vim.bo[state.buf].modifiable = false
  local width = size(o.width, vim.o.columns)
  local height = size(o.height, vim.o.lines)
  local config = {
    relative = "editor",
    width = width,
    height = height,
    row = math.floor((vim.o.lines - height) / 2) - 1,
    col = math.floor((vim.o.columns - width) / 2),
    style = "minimal",
    border = o.border,
    title = " " .. title .. " ",
    title_pos = "center",
  }
  if M.is_open() then
    vim.api.nvim_win_set_config(state.win, config)
  else
    state.win = vim.api.nvim_open_win(state.buf, true, config)
    vim.wo[state.win].wrap = true
    vim.wo[state.win].linebreak = true
    vim.wo[state.win].conceallevel = 2
  end
end

--- Moves the cursor to the last line, so the window shows the newest text as it streams in.
function M.follow()
  if M.is_open() then
    local last = vim.api.nvim_buf_line_count(state.buf)
    pcall(vim.api.nvim_win_set_cursor, state.win, { last, 0 })
  end
end

function M.close()
  if M.is_open() then
    vim.api.nvim_win_close(state.win, true)
  end
  state.win = nil
end

return M
