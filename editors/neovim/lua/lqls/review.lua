-- AI reviews: `:LqlsReview` asks for the changeset under the cursor, `:LqlsReviewFile` for every
-- changeset of the file; the server streams `lqls/review` notifications (the whole text so far each
-- time) and the floating window shows them as they arrive.

local rpc = require("lqls.rpc")
local float = require("lqls.float")

local M = {}

-- Last notification per "uri\0changeset".
M.reviews = {}
-- What the window shows: a document and its changesets in the order they were asked for or arrived.
local view = nil

local function key(uri, changeset)
  return uri .. "\0" .. changeset
end

--- The Markdown lines of the current view.
function M.lines()
  if not view then
    return {}
  end
  local out = {}
  if #view.changesets == 0 then
    return { "Reviewing the file…" }
  end
  for _, cs in ipairs(view.changesets) do
    local r = M.reviews[key(view.uri, cs)]
    local heading = "## Changeset " .. cs
    if not r then
      heading = heading .. " (waiting…)"
    elseif r.error then
      heading = heading .. " (failed)"
    elseif not r.done then
      heading = heading .. " (running…)"
    end
    table.insert(out, heading)
    table.insert(out, "")
    if r and r.error then
      table.insert(out, "**Error:** " .. r.error)
    elseif r then
      vim.list_extend(out, vim.split(r.text or "", "\n", { plain = true }))
      local review = r.review
      if r.done and type(review) == "table" and type(review.citations) == "table" and #review.citations > 0 then
        table.insert(out, "")
        table.insert(out, "Cited: " .. table.concat(review.citations, ", "))
      end
    end
    table.insert(out, "")
  end
  return out
end

local function render()
  if view and view.visible then
    float.show("lqls review: " .. vim.fs.basename(vim.uri_to_fname(view.uri)), M.lines())
    float.follow()
  end
end

local function open_view(uri, changesets, file)
  view = { uri = uri, changesets = changesets, file = file, visible = true }
  render()
end

--- Whether the window's view is about this review.
local function in_view(result)
  return view ~= nil
    and view.uri == result.uri
    and (view.file or vim.tbl_contains(view.changesets, result.changeset))
end

--- Handler of `lqls/review`.
function M.on_notification(result, _)
  if type(result) ~= "table" or not result.uri or not result.changeset then
    return
  end
  M.reviews[key(result.uri, result.changeset)] = result
  if not in_view(result) then
    -- A review asked for some other way (the server's code actions "Review changeset" and "Explain"):
    -- the user is waiting for it, so it gets the window.
    open_view(result.uri, { result.changeset }, false)
  else
    if view.file and not vim.tbl_contains(view.changesets, result.changeset) then
      table.insert(view.changesets, result.changeset)
    end
    -- The window was closed by the user: keep the text, do not reopen over their work.
    -- (open_view opened it before any notification could arrive, so a closed window is the user's doing.)
    if view.visible and not float.is_open() then
      view.visible = false
    end
    render()
  end
  vim.api.nvim_exec_autocmds("User", { pattern = "LqlsReview", modeline = false, data = result })
end

--- The changeset under the cursor, from the server's "Review changeset" code action; calls
--- `done(changeset_id)` or tells the user there is none.
local function changeset_at_cursor(client, bufnr, done)
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {}, only = { "refactor.lqls.review" } }
  rpc.request(client, "textDocument/codeAction", params, function(err, actions)
    if rpc.failed(err) then
      return
    end
    for _, action in ipairs(actions or {}) do
      local command = type(action.command) == "table" and action.command or action
      if command.command == "lqls.review" and command.arguments then
        return done(command.arguments[2])
      end
    end
    vim.notify("lqls: the cursor is not in a changeset (or reviews are off: [llm] backend)", vim.log.levels.WARN)
  end, bufnr)
end

--- `:LqlsReview`: reviews the changeset under the cursor.
function M.review_changeset()
  local client, bufnr, uri = rpc.current()
  if not client then
    return
  end
  changeset_at_cursor(client, bufnr, function(changeset)
    M.reviews[key(uri, changeset)] = nil
    open_view(uri, { changeset }, false)
    rpc.command(client, "lqls.review", { uri, changeset }, function(err)
      if err then
        M.on_notification({ uri = uri, changeset = changeset, text = "", done = true, error = rpc.message(err) })
      end
    end, bufnr)
  end)
end

--- `:LqlsReviewFile`: reviews every changeset of the file, one after the other.
function M.review_file()
  local client, bufnr, uri = rpc.current()
  if not client then
    return
  end
  open_view(uri, {}, true)
  rpc.command(client, "lqls.reviewFile", { uri }, function(err, result)
    if rpc.failed(err) then
      return
    end
    vim.notify(
      ("lqls: %d changesets reviewed, %d failed"):format(result and result.reviewed or 0, result and result.failed or 0)
    )
  end, bufnr)
end

return M
