-- :checkhealth lqls: Neovim, the server binary, the models, and what the running server reports.

local M = {}

local health = vim.health

local function models_dir()
  local env = vim.env.LQLS_MODELS
  return env and env ~= "" and env or vim.fs.joinpath(vim.env.HOME or "~", ".cache", "lqls", "models")
end

local function check_neovim()
  if vim.fn.has("nvim-0.11") == 1 then
    health.ok("Neovim 0.11+: vim.lsp.config and vim.lsp.enable")
  elseif vim.fn.has("nvim-0.10") == 1 then
    health.warn("Neovim 0.10: lqls starts through vim.lsp.start (0.11+ is recommended)")
  else
    health.error("Neovim 0.10 or newer is needed")
  end
end

local function check_server(lqls)
  local cmd = lqls.client_config().cmd
  local exe = cmd and cmd[1]
  local path = exe and vim.fn.exepath(exe) or ""
  if path == "" then
    health.error(("server `%s` not found"):format(tostring(exe)), {
      "Build and install it: `cargo install --path server --locked` in the lqls repository",
      'or point the plugin at it: require("lqls").setup({ cmd = { "/path/to/lqls" } })',
    })
    return
  end
  local ok, out = pcall(function()
    return vim.system({ path, "--version" }, { text = true }):wait(5000)
  end)
  if ok and out.code == 0 then
    health.ok(("server: %s (%s)"):format(vim.trim(out.stdout), path))
  else
    health.error(("`%s --version` failed: %s"):format(path, ok and (out.stderr or "") or tostring(out)))
  end
end

local function check_models()
  local dir = models_dir()
  local wanted = {
    { "embedding model (knowledge base)", "all-minilm-l6-v2/model.safetensors" },
    { "language model (AI review)", "smollm2-135m-instruct/SmolLM2-135M-Instruct.Q4_1.gguf" },
  }
  for _, m in ipairs(wanted) do
    local file = vim.fs.joinpath(dir, m[2])
    if vim.uv.fs_stat(file) then
      health.ok(("%s: %s"):format(m[1], file))
    else
      health.warn(("%s not installed (%s)"):format(m[1], file), {
        "Run scripts/setup-models.sh from the lqls repository (rules work without it), or configure",
        "`knowledge-base.model` / `llm.model` in the plugin's settings or lqls.toml",
      })
    end
  end
end

local function check_clients(lqls)
  local clients = lqls.clients()
  if #clients == 0 then
    health.info("no lqls client is running (open a changelog)")
    return
  end
  local status = require("lqls.status")
  for _, client in ipairs(clients) do
    local buffers = vim.tbl_count(client.attached_buffers or {})
    health.ok(("client %d: root %s, %d buffer(s)"):format(client.id, client.root_dir or "-", buffers))
    local st = status.by_client[client.id]
    if st then
      local kb, model = st.knowledgeBase or {}, st.model or {}
      local report = (kb.state == "failed" or model.state == "failed") and health.warn or health.ok
      report("status: " .. status.format(st))
      if kb.message then
        health.warn("knowledge base: " .. kb.message)
      end
      if model.message then
        health.warn("model: " .. model.message)
      end
    else
      health.info("no status from the server yet")
    end
  end
end

function M.check()
  health.start("lqls")
  check_neovim()
  local lqls = require("lqls")
  if lqls.did_setup then
    health.ok('require("lqls").setup() was called')
  else
    health.warn('require("lqls").setup() was not called: the server does not start')
  end
  check_server(lqls)
  check_models()
  check_clients(lqls)
end

return M
