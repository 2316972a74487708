-- A minimal Neovim configuration that starts `regimen lsp` with Neovim's built-in client for
-- the file given on the command line, waits for its diagnostics and writes them as JSON.
-- Used by nvim_lsp.py: REGIMEN_BINARY is the server, REGIMEN_OUT the file to write.
local binary = os.getenv("REGIMEN_BINARY")
local out = os.getenv("REGIMEN_OUT")

local function finish(result)
  local file = io.open(out, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local buffer = vim.api.nvim_get_current_buf()
    local path = vim.api.nvim_buf_get_name(buffer)
    -- start_client and buf_attach_client: Debian's Neovim 0.7 has no vim.lsp.start yet.
    local client = vim.lsp.start_client({
      name = "regimen",
      cmd = { binary, "lsp" },
      root_dir = vim.fn.fnamemodify(path, ":h"),
    })
    if client then vim.lsp.buf_attach_client(buffer, client) end
    local found = vim.wait(20000, function() return #vim.diagnostic.get(buffer) > 0 end, 50)
    local diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(buffer)) do
      table.insert(diagnostics, { lnum = d.lnum, col = d.col, code = d.code, severity = d.severity, message = d.message })
    end
    local result = { client = client ~= nil, found = found, diagnostics = diagnostics }
    local uri = vim.uri_from_bufnr(buffer)
    local function has_breach()
      for _, d in ipairs(vim.diagnostic.get(buffer)) do
        if d.code == "R702" then return true end
      end
      return false
    end

    -- The spacing breach's quick fix, applied as Neovim applies a code action's edit.
    local actions = vim.lsp.buf_request_sync(buffer, "textDocument/codeAction", {
      textDocument = { uri = uri },
      range = { start = { line = 0, character = 0 }, ["end"] = { line = 3, character = 0 } },
      context = { diagnostics = {} },
    }, 10000)
    for _, response in pairs(actions or {}) do
      for _, action in ipairs(response.result or {}) do
        if action.title:find("^Move ") or action.title:find("^Take ") then
          result.action = action.title
          vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
        end
      end
    end
    result.fixed_line = vim.api.nvim_buf_get_lines(buffer, 2, 3, false)[1]
    result.breach_gone = vim.wait(20000, function() return not has_breach() end, 50)

    -- Go to definition on a name the knowledge base defines: Neovim opens the file at the line.
    local definition = vim.lsp.buf_request_sync(buffer, "textDocument/definition", {
      textDocument = { uri = uri }, position = { line = 1, character = 3 },
    }, 10000)
    for _, response in pairs(definition or {}) do
      local location = response.result
      if location and location[1] then location = location[1] end
      if location and location.uri then
        vim.lsp.util.jump_to_location(location, "utf-16")
        result.definition_file = vim.api.nvim_buf_get_name(0)
        result.definition_line = vim.api.nvim_get_current_line()
        result.definition_readonly = vim.bo.readonly
      end
    end
    finish(result)
  end,
})
