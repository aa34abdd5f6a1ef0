Attribute VB_Name = "PMOSupport"
' Helpers of the PMO add-in's VBA, shared by the PMO module (ribbon) and
' ThisWorkbook (add-in opened). "Option Private Module" keeps every procedure
' here out of Excel's Macros dialog and worksheet function list: they are
' public to this project only.
'
' The three constants below are filled in by `pmo build-addin`
' (addin/excel/xlam.py): the pmo-addin version that built the add-in, and the
' interpreters given with `--python` (empty: none baked in).
Option Explicit
Option Private Module

Public Const PMO_ADDIN_VERSION As String = ""
Public Const PMO_PYTHON_WIN As String = ""
Public Const PMO_PYTHON_MAC As String = ""
Public Const PMO_TITLE As String = "PMO"

' Called by ThisWorkbook's Workbook_Open.
Public Sub PMO_Opened()
    On Error Resume Next
    PMO_UseBakedInterpreter False
    PMO_Log "add-in " & PMO_ADDIN_VERSION & " opened (xlwings " & XLWINGS_VERSION & ")"
End Sub

' Returns text as a single-quoted Python string literal made only of letters,
' digits, space and - _ . , : / + = @ ( ); every other character becomes \xHH
' or \uHHHH. So the literal survives unchanged every layer it passes through:
' the cmd.exe line of RunPython on Windows (no " % ^ & !), the double-quoted
' shell command of AppleScript's do shell script on macOS (no $ ` " and no
' backslash before those), the | that separates AppleScriptTask's fields, and
' Python itself. Characters beyond U+FFFF arrive as two \u escapes, which
' addin.excel.ribbon.dispatch joins again.
Public Function PMO_PyString(ByVal text As String) As String
    Dim i As Long, code As Long, ch As String, out As String
    For i = 1 To Len(text)
        ch = Mid$(text, i, 1)
        code = AscW(ch) And &HFFFF&
        If (code >= 48 And code <= 57) Or (code >= 65 And code <= 90) Or _
           (code >= 97 And code <= 122) Or InStr(1, " -_.,:/+=@()", ch, vbBinaryCompare) > 0 Then
            out = out & ch
        ElseIf code < 256 Then
            out = out & "\x" & Right$("0" & LCase$(Hex$(code)), 2)
        Else
            out = out & "\u" & Right$("000" & LCase$(Hex$(code)), 4)
        End If
    Next i
    PMO_PyString = "'" & out & "'"
End Function

' The interpreter baked in at build (pmo build-addin --python) is only a default.
' xlwings reads the add-in's own pmo.conf sheet before any pmo.conf file, so the
' baked value is put on that sheet only while neither the user's pmo.conf nor
' (withDirectory) one beside the active workbook names an interpreter for this
' system; otherwise the row is cleared and the user's file wins.
Public Sub PMO_UseBakedInterpreter(ByVal withDirectory As Boolean)
    Dim key As String, baked As String, chosen As String
    Dim sheet As Worksheet, row As Long
    #If Mac Then
        key = "INTERPRETER_MAC"
        baked = PMO_PYTHON_MAC
    #Else
        key = "INTERPRETER_WIN"
        baked = PMO_PYTHON_WIN
    #End If
    If Len(baked) = 0 Then Exit Sub
    Set sheet = ThisWorkbook.Worksheets(PROJECT_NAME & ".conf")
    row = 1
    Do While Len(CStr(sheet.Cells(row, 1).Value)) > 0
        If UCase$(CStr(sheet.Cells(row, 1).Value)) = key Then Exit Do
        row = row + 1
    Loop
    chosen = GetConfig(key, "", "user")
    If withDirectory And Len(chosen) = 0 Then chosen = GetConfig(key, "", "directory")
    If Len(chosen) = 0 Then
        sheet.Cells(row, 1).Value = key
        sheet.Cells(row, 2).Value = baked
    Else
        sheet.Range(sheet.Cells(row, 1), sheet.Cells(row, 2)).ClearContents
    End If
    ThisWorkbook.Saved = True
End Sub

' Shows a message to the user.
Public Sub PMO_Tell(ByVal text As String)
    MsgBox text, vbInformation, PMO_TITLE
End Sub

' Logs an error that happened before or around Python, and tells the user.
Public Sub PMO_Fail(ByVal action As String, ByVal number As Long, ByVal description As String)
    PMO_Log action & " failed: error " & number & ": " & description
    MsgBox "PMO " & action & " did not finish: " & description & " (error " & number & ")." & _
           vbCrLf & "Details are in " & PMO_LogPath(), vbExclamation, PMO_TITLE
End Sub

' Appends one line to the PMO log, for support; never fails.
Public Sub PMO_Log(ByVal text As String)
    Dim unit As Integer
    On Error Resume Next
    unit = FreeFile
    Open PMO_LogPath() For Append As #unit
    Print #unit, Format$(Now, "yyyy-mm-dd hh:nn:ss") & " PMO.xlam " & text
    Close #unit
End Sub

' The PMO log file, its folder created when missing: %USERPROFILE%\.pmo\pmo.log
' on Windows (the file Python logs to as well); on macOS ~/.pmo/pmo.log inside
' Excel's sandbox (~/Library/Containers/com.microsoft.Excel/Data/.pmo/pmo.log).
Public Function PMO_LogPath() As String
    Dim folder As String, separator As String
    On Error Resume Next
    #If Mac Then
        folder = Environ("HOME") & "/.pmo"
        separator = "/"
    #Else
        folder = Environ("USERPROFILE") & "\.pmo"
        separator = "\"
    #End If
    If Len(Dir(folder, vbDirectory)) = 0 Then MkDir folder
    PMO_LogPath = folder & separator & "pmo.log"
End Function
