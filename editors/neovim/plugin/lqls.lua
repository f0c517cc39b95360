-- Commands only; nothing starts until require("lqls").setup().
if vim.g.loaded_lqls then
  return
end
vim.g.loaded_lqls = true

-- name, module, function, description, takes an argument
local commands = {
  { "LqlsReview", "lqls.review", "review_changeset", "AI review of the changeset under the cursor" },
  { "LqlsReviewFile", "lqls.review", "review_file", "AI review of every changeset in the file" },
  { "LqlsReindex", "lqls.commands", "reindex", "index the knowledge base again" },
  { "LqlsRuleDocs", "lqls.commands", "rule_docs", "a rule's documentation (default: the diagnostic here)", "?" },
  { "LqlsStatus", "lqls.commands", "status", "knowledge base and model state" },
  { "LqlsRestart", "lqls.commands", "restart", "restart the language server" },
}

for _, c in ipairs(commands) do
  local name, module, fn, desc, nargs = unpack(c)
  vim.api.nvim_create_user_command(name, function(args)
    require(module)[fn](args.args)
  end, { nargs = nargs or 0, desc = "lqls: " .. desc })
end
