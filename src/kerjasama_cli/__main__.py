from kerjasama_cli.cli import main

main()
