-- lqls for Neovim: starts the language server on Liquibase changelogs (vim.lsp.config/enable on
-- Neovim 0.11+, vim.lsp.start before that), shows streamed AI reviews in a floating window, and keeps
-- the server's status for statuslines. `:checkhealth lqls` says what is missing.

local detect = require("lqls.detect")

local M = {}

--- Defaults; `setup(opts)` merges over them (`vim.tbl_deep_extend`).
M.defaults = {
  -- The server command. A string is the binary's path.
  cmd = { "lqls" },
  cmd_env = nil,
  filetypes = { "xml", "yaml", "json", "sql", "toml" },
  -- Files to attach to whatever their content (globs, as for `:h glob2regpat()`).
  patterns = {},
  root_markers = { "lqls.toml", "liquibase.properties", ".git" },
  -- The server's settings: the keys of lqls.toml (an lqls.toml in the project wins over these).
  -- Example: { rules = { LB105 = "off" }, llm = { backend = "off" }, ["knowledge-base"] = { path = "kb" } }
  settings = {},
  -- `liquibaseVersion` initialization option (the Liquibase the project runs).
  liquibase_version = nil,
  review = {
    border = "rounded",
    width = 0.6, -- of the editor's columns (or a number of columns when > 1)
    height = 0.6,
  },
  on_attach = nil,
  -- Start through a FileType autocommand and vim.lsp.start even on 0.11+ (what 0.10 does).
  use_lsp_start = false,
}

M.options = vim.deepcopy(M.defaults)
M.NAME = "lqls"

local function has(version)
  return vim.fn.has("nvim-" .. version) == 1
end

local function handlers()
  return {
    ["lqls/review"] = function(_, result, ctx)
      require("lqls.review").on_notification(result, ctx)
    end,
    ["lqls/status"] = function(_, result, ctx)
      require("lqls.status").update(result, ctx)
    end,
  }
end

--- The project folder of `bufnr`: the nearest with a root marker, else the file's own folder.
function M.root(bufnr)
  return vim.fs.root(bufnr, M.options.root_markers) or vim.fs.dirname(vim.api.nvim_buf_get_name(bufnr))
end

--- The client configuration built from the options (shared by both ways of starting).
function M.client_config()
  local o = M.options
  local cmd = type(o.cmd) == "string" and { o.cmd } or o.cmd
  -- An empty Lua table would be sent as a JSON array; the server wants an object.
  local settings = next(o.settings) and o.settings or vim.empty_dict()
  return {
    name = M.NAME,
    cmd = cmd,
    cmd_env = o.cmd_env,
    filetypes = o.filetypes,
    root_markers = o.root_markers,
    settings = { lqls = settings },
    init_options = { lqls = settings, liquibaseVersion = o.liquibase_version },
    handlers = handlers(),
    on_attach = o.on_attach,
    -- Only changelogs (and lqls.toml): deciding here keeps the server off plain XML/YAML projects.
    root_dir = function(bufnr, on_dir)
      if detect.is_lqls_buffer(bufnr, o.patterns) then
        on_dir(M.root(bufnr))
      end
    end,
  }
end

--- Starts (or reuses) the client for `bufnr` directly: Neovim 0.10, and a buffer that became a
--- changelog after it was opened (a new file, typed in).
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if M.client(bufnr) or not detect.is_lqls_buffer(bufnr, M.options.patterns) then
    return
  end
  local config = M.client_config()
  config.root_dir = M.root(bufnr)
  vim.lsp.start(config, { bufnr = bufnr })
end

--- The lqls client attached to `bufnr` (or any lqls client when `bufnr` is nil).
function M.client(bufnr)
  return M.clients(bufnr)[1]
end

--- The lqls clients (attached to `bufnr`, or all of them when it is nil).
function M.clients(bufnr)
  -- get_active_clients is Neovim 0.10's name.
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ name = M.NAME, bufnr = bufnr })
end

---@param opts table|nil
function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  local group = vim.api.nvim_create_augroup("lqls", { clear = true })
  if has("0.11") and not M.options.use_lsp_start then
    vim.lsp.config(M.NAME, M.client_config())
    vim.lsp.enable(M.NAME)
  else
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = M.options.filetypes,
      callback = function(args)
        M.attach(args.buf)
      end,
    })
  end
  -- A file that becomes a changelog while being written (a new one) gets the server on save or
  -- when leaving insert mode.
  vim.api.nvim_create_autocmd({ "BufWritePost", "InsertLeave" }, {
    group = group,
    callback = function(args)
      if vim.tbl_contains(M.options.filetypes, vim.bo[args.buf].filetype) then
        M.attach(args.buf)
      end
    end,
  })
  M.did_setup = true
end

--- Statusline component: "lqls: KB ready · model idle" (empty when no lqls client runs).
function M.statusline()
  return require("lqls.status").line()
end

return M
