"""What each face writes: figures formatted (`formatting`), charts (`charts`), Markdown that escapes
what it quotes (`markdown`), the support ticket (`ticket`) and the downloads (`exports`)."""
