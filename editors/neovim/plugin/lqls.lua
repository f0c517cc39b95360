-- Commands only; nothing starts until require("lqls").setup().
if vim.g.loaded_lqls then
  return
end
vim.g.loaded_lqls = true

local function cmd(name, fn, opts)
  vim.api.nvim_create_user_command(name, fn, opts or {})
end

cmd("LqlsReview", function()
  require("lqls.review").review_changeset()
end, { desc = "lqls: AI review of the changeset under the cursor" })
cmd("LqlsReviewFile", function()
  require("lqls.review").review_file()
end, { desc = "lqls: AI review of every changeset in the file" })
cmd("LqlsReindex", function()
  require("lqls.commands").reindex()
end, { desc = "lqls: index the knowledge base again" })
cmd("LqlsRuleDocs", function(args)
  require("lqls.commands").rule_docs(args.args)
end, { nargs = "?", desc = "lqls: a rule's documentation (default: the diagnostic under the cursor)" })
cmd("LqlsStatus", function()
  require("lqls.commands").status()
end, { desc = "lqls: knowledge base and model state" })
cmd("LqlsRestart", function()
  require("lqls.commands").restart()
end, { desc = "lqls: restart the language server" })
