from ooh.cli import main

main()
